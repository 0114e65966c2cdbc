package io.tarn.governance.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of personal data the detector finds in free text. The schema annotation types ({@code
 * email}, {@code phone}, {@code card_number}, {@code iban}, {@code ip}) keep their names; national
 * ids are one type per scheme because each has its own validity rule.
 */
public enum EntityType {
  EMAIL(true, "email", "e-mail", "mail"),
  PHONE(false, "phone", "tel", "mobile", "cell", "fax", "call"),
  CARD_NUMBER(true, "card", "pan", "credit", "visa", "mastercard", "amex"),
  IBAN(true, "iban", "account", "bank"),
  IP(true, "ip", "addr", "client", "remote", "host"),
  /** US Social Security Number: structural rules only (no check digit exists). */
  US_SSN(false, "ssn", "social", "security"),
  /** Dutch citizen service number: 9 digits passing the 11-check. */
  NL_BSN(true, "bsn", "burgerservicenummer", "sofi", "citizen"),
  /** UK National Insurance number: letter prefix rules and suffix A-D (no check digit exists). */
  UK_NINO(false, "nino", "insurance", "ni");

  private final boolean checksumBacked;
  private final List<String> contextWords;

  EntityType(boolean checksumBacked, String... contextWords) {
    this.checksumBacked = checksumBacked;
    this.contextWords = List.of(contextWords);
  }

  /** The name used in findings, JSON and policies: {@code card_number}, {@code us_ssn}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a match is validated by a checksum or a strict grammar that random text rarely passes
   * (Luhn, mod-97, 11-check, address syntax); the accuracy goals differ for these.
   */
  public boolean checksumBacked() {
    return checksumBacked;
  }

  /** Words that, in a field name or just before a match, make the match more likely this type. */
  public List<String> contextWords() {
    return contextWords;
  }

  /**
   * The type with id {@code id}.
   *
   * @throws IllegalArgumentException naming the known ids if there is none
   */
  public static EntityType of(String id) {
    for (EntityType type : values()) {
      if (type.id().equals(id)) {
        return type;
      }
    }
    List<String> known = new ArrayList<>();
    for (EntityType type : values()) {
      known.add(type.id());
    }
    throw new IllegalArgumentException("Cannot find entity type '" + id + "': known " + known);
  }
}
