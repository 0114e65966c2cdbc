package io.tarn.governance.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 in dotted quads (each octet 0–255, no leading zeros, not part of a longer dotted run such as
 * a version number {@code 1.2.3.4.5}) and IPv6 (eight groups, or fewer with one {@code ::},
 * optionally ending in an IPv4 quad).
 */
public final class IpAddressRecognizer extends PatternRecognizer {
  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IP =
      Pattern.compile(
          "(?<![\\w.:])(?:"
              + "(?<v4>"
              + OCTET
              + "(?:\\."
              + OCTET
              + "){3})"
              + "|(?<v6>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::\\d{1,3}(?:\\.\\d{1,3}){3})?)"
              + ")(?![\\w:]|\\.\\d)");

  private static final Pattern VERSION_WORDS =
      Pattern.compile("(?i)\\b(?:version|release|build|v)\\W{0,3}$");

  public IpAddressRecognizer() {
    super(EntityType.IP, IP);
  }

  @Override
  double score(Matcher match, CharSequence text) {
    if (match.group("v4") != null) {
      // four dotted numbers after "version" or "release" are a version, not an address
      String before = text.subSequence(Math.max(0, match.start() - 16), match.start()).toString();
      return VERSION_WORDS.matcher(before).find() ? -1 : 0.8;
    }
    return ipv6Valid(match.group("v6")) ? 0.85 : -1;
  }

  static boolean ipv6Valid(String text) {
    String body = text;
    int groupsNeeded = 8;
    int lastColon = text.lastIndexOf(':');
    if (text.indexOf('.') >= 0) {
      String v4 = text.substring(lastColon + 1);
      if (!v4.matches(OCTET + "(?:\\." + OCTET + "){3}")) {
        return false;
      }
      body = text.substring(0, lastColon + 1) + "0";
      groupsNeeded = 7;
    }
    int doubleColon = body.indexOf("::");
    if (doubleColon != body.lastIndexOf("::")) {
      return false;
    }
    String[] groups = body.split(":", -1);
    int filled = 0;
    for (String group : groups) {
      if (!group.isEmpty()) {
        filled += 1;
      }
    }
    if (doubleColon < 0) {
      return groups.length == groupsNeeded && filled == groupsNeeded;
    }
    // "::" alone is the unspecified address, not personal data; require at least two groups
    return filled >= 2 && filled < groupsNeeded && !body.contains(":::");
  }
}
