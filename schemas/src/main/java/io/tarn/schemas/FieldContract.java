package io.tarn.schemas;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** The governance and quality annotations of one field of a {@link TableContract}. */
public final class FieldContract implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String pii;
  private final Classification classification;
  private final String doc;
  private final List<QualityRule> rules;

  FieldContract(
      String name, String pii, Classification classification, String doc, List<QualityRule> rules) {
    this.name = name;
    this.pii = pii;
    this.classification = classification;
    this.doc = doc;
    this.rules = List.copyOf(rules);
  }

  public String name() {
    return name;
  }

  /**
   * The PII entity type of the field ({@code email}, {@code iban}, …), if it holds personal data.
   */
  public Optional<String> pii() {
    return Optional.ofNullable(pii);
  }

  /** The field's classification; {@link Classification#INTERNAL} when not annotated. */
  public Classification classification() {
    return classification;
  }

  /** The field's documentation, empty when it has none. */
  public String doc() {
    return doc;
  }

  /** The field's quality rules in declaration order. */
  public List<QualityRule> rules() {
    return rules;
  }

  @Override
  public String toString() {
    return name;
  }
}
