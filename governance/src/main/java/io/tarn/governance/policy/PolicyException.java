package io.tarn.governance.policy;

/** A policy file that cannot be used; the message names the file, the key and its line. */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }
}
