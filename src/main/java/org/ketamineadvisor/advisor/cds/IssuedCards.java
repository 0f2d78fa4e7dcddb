package org.ketamineadvisor.advisor.cds;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cards this instance issued, by their random {@code uuid}, so that feedback on a card can be counted by what the
 * card said (service and verdict) although the uuid itself carries nothing. Bounded: the oldest cards are forgotten
 * first (feedback on one of them, or on a card another instance issued, is still accepted, as of an unknown card).
 * No patient data is kept.
 */
final class IssuedCards {

  /** Enough for the cards of a busy day of one instance; about 100 bytes each. */
  static final int DEFAULT_CAPACITY = 10_000;

  /** What feedback is counted by: the service that issued the card and its verdict code. */
  record Card(String service, String verdict) {}

  private final Map<String, Card> cards;

  IssuedCards(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.cards = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Card> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void put(String uuid, Card card) {
    cards.put(uuid, card);
  }

  synchronized Optional<Card> get(String uuid) {
    return Optional.ofNullable(cards.get(uuid));
  }

  synchronized int size() {
    return cards.size();
  }
}
