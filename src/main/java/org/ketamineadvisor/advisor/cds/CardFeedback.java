package org.ketamineadvisor.advisor.cds;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the site learns from its cards, with no patient data: the cards issued ({@code cds.cards} by service and
 * indicator), and the feedback on them ({@code cds.feedback} by outcome and override reason, {@code cds.feedback.verdict}
 * by outcome and what the card said, looked up among the cards this instance issued).
 */
final class CardFeedback {

  private static final Logger log = LoggerFactory.getLogger(CardFeedback.class);

  private final MeterRegistry meters;
  private final IssuedCards issued;

  CardFeedback(MeterRegistry meters, IssuedCards issued) {
    this.meters = meters;
    this.issued = issued;
  }

  /** A card with a verdict, remembered for its feedback and counted. */
  void issued(String service, JsonNode card, String verdict) {
    remember(service, card.path("uuid").asText(), verdict);
    meters.counter("cds.cards", "service", service, "indicator", card.path("indicator").asText()).increment();
  }

  /** A card remembered for its feedback only (the record could not be read: there is no verdict to count). */
  void remember(String service, String uuid, String verdict) {
    issued.put(uuid, new IssuedCards.Card(service, verdict));
  }

  /**
   * Counts each feedback item in order, up to the first one whose outcome is neither {@code accepted} nor
   * {@code overridden}.
   *
   * @return why an item was refused; null when all were counted
   */
  String record(String service, JsonNode feedback) {
    for (JsonNode f : feedback) {
      String outcome = f.path("outcome").asText("unknown");
      if (!"accepted".equals(outcome) && !"overridden".equals(outcome)) {
        return "feedback outcome must be 'accepted' or 'overridden', got '" + outcome + "'";
      }
      JsonNode coding = f.path("overrideReason").path("reason");
      // counted by the app's own codes only: a client's free codes would grow the metric without bound
      String reason = coding.isMissingNode() ? "none" : OverrideReason.of(coding.path("system").asText(null),
          coding.path("code").asText(null)).map(OverrideReason::code).orElse("other");
      meters.counter("cds.feedback", "service", service, "outcome", outcome, "reason", reason).increment();
      // the card's uuid is random: what it was about is looked up among the cards this instance issued
      String card = f.path("card").asText("");
      String verdict = issued.get(card).map(IssuedCards.Card::verdict).orElse("unknown-card");
      meters.counter("cds.feedback.verdict", "service", service, "outcome", outcome, "verdict", verdict).increment();
      log.info("CDS feedback on {} card {} ({}): {} (override reason {})", service, card, verdict, outcome, reason);
    }
    return null;
  }
}
