package io.tarn.catalog.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.auth.OAuth2Util;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.apache.iceberg.rest.responses.OAuthTokenResponse;
import org.apache.iceberg.util.JsonUtil;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}; answers everything else
 * with 401 and an Iceberg {@code ErrorResponse}. Also serves the OAuth2 token endpoint {@code POST
 * /v1/oauth/tokens}: a client-credentials grant whose secret is the token (any client id), or a
 * token exchange of the token itself, returns the token. This is what Trino's {@code
 * iceberg.rest-catalog.oauth2.credential}, PyIceberg's {@code credential} and Iceberg's own {@code
 * credential} property do.
 */
final class BearerTokenFilter extends HttpFilter {
  static final String TOKENS_PATH = "/v1/oauth/tokens";
  private static final String CLIENT_CREDENTIALS = "client_credentials";
  private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  private static final String JSON = "application/json";

  private final AccessToken token;

  BearerTokenFilter(AccessToken token) {
    this.token = token;
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (TOKENS_PATH.equals(request.getRequestURI()) && "POST".equals(request.getMethod())) {
      issueToken(request, response);
      return;
    }
    String header = request.getHeader("Authorization");
    String bearer = credentials(header, "Bearer");
    if (bearer != null && token.matches(bearer)) {
      chain.doFilter(request, response);
      return;
    }
    ErrorResponse error =
        ErrorResponse.builder()
            .responseCode(HttpServletResponse.SC_UNAUTHORIZED)
            .withType("NotAuthorizedException")
            .withMessage(
                header == null
                    ? "Not authorized: no bearer token (send Authorization: Bearer <token>)"
                    : "Not authorized: invalid bearer token")
            .build();
    response.setHeader("WWW-Authenticate", "Bearer realm=\"tarn\"");
    write(response, HttpServletResponse.SC_UNAUTHORIZED, ErrorResponseParser.toJson(error));
  }

  private void issueToken(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, String> form =
        RESTUtil.decodeFormData(
            new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    String grant = form.getOrDefault("grant_type", "");
    String presented;
    if (CLIENT_CREDENTIALS.equals(grant)) {
      presented = form.get("client_secret");
      if (presented == null) {
        // RFC 6749 allows the client to authenticate with HTTP Basic instead of the form
        presented = basicSecret(request.getHeader("Authorization"));
      }
    } else if (TOKEN_EXCHANGE.equals(grant)) {
      presented = form.get("subject_token");
    } else {
      writeOAuthError(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "unsupported_grant_type",
          "Cannot issue a token: grant_type must be client_credentials or token exchange");
      return;
    }
    if (!token.matches(presented)) {
      writeOAuthError(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          "invalid_client",
          "Cannot issue a token: invalid client credentials");
      return;
    }
    OAuthTokenResponse issued =
        OAuthTokenResponse.builder()
            .withToken(token.value())
            .withTokenType("Bearer")
            .withIssuedTokenType(ACCESS_TOKEN_TYPE)
            .build();
    response.setHeader("Cache-Control", "no-store");
    write(response, HttpServletResponse.SC_OK, OAuth2Util.tokenResponseToJson(issued));
  }

  private static String credentials(String header, String scheme) {
    if (header == null || !header.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1)) {
      return null;
    }
    return header.substring(scheme.length() + 1).strip();
  }

  private static String basicSecret(String header) {
    String encoded = credentials(header, "Basic");
    if (encoded == null) {
      return null;
    }
    try {
      String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon < 0 ? null : RESTUtil.decodeString(pair.substring(colon + 1));
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static void writeOAuthError(
      HttpServletResponse response, int status, String error, String description)
      throws IOException {
    // the OAuth2 error shape (RFC 6749 5.2), which Iceberg's OAuth2 client parses
    String json =
        JsonUtil.generate(
            gen -> {
              gen.writeStartObject();
              gen.writeStringField("error", error);
              gen.writeStringField("error_description", description);
              gen.writeEndObject();
            },
            false);
    write(response, status, json);
  }

  private static void write(HttpServletResponse response, int status, String json)
      throws IOException {
    response.setStatus(status);
    response.setContentType(JSON);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json);
  }
}
