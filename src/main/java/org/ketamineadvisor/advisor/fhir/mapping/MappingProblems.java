package org.ketamineadvisor.advisor.fhir.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * What the mapping could not take as written, one line per problem, each naming its resource.
 * Capped so that a huge record with one systematic defect does not bury everything else.
 */
final class MappingProblems {

  static final int LIMIT = 200;

  private final List<String> lines = new ArrayList<>();
  private int dropped;

  void add(String resourceKey, String message) {
    if (lines.size() < LIMIT) {
      lines.add(resourceKey + ": " + message);
    } else {
      dropped++;
    }
  }

  List<String> toList() {
    if (dropped == 0) {
      return List.copyOf(lines);
    }
    List<String> all = new ArrayList<>(lines);
    all.add("… and " + dropped + " more problems of the same kinds, not listed");
    return List.copyOf(all);
  }
}
