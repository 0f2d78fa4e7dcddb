package org.ketamineadvisor.advisor.fhir.server;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one FHIR server says it supports, per {@link ServerNeed}, from its CapabilityStatement, and
 * whether it publishes a SMART configuration ({@code .well-known/smart-configuration}).
 */
public record ServerCapabilities(String baseUrl, String software, String fhirVersion,
    Map<ServerNeed, Boolean> supported, SmartConfiguration smart) {

  public ServerCapabilities {
    EnumMap<ServerNeed, Boolean> all = new EnumMap<>(ServerNeed.class);
    for (ServerNeed need : ServerNeed.values()) {
      all.put(need, supported.getOrDefault(need, false));
    }
    supported = java.util.Collections.unmodifiableMap(all);
  }

  /** A server about which nothing is known: everything is tried as if supported (used when /metadata is absent). */
  public static ServerCapabilities assumeAll(String baseUrl) {
    Map<ServerNeed, Boolean> all = new EnumMap<>(ServerNeed.class);
    for (ServerNeed need : ServerNeed.values()) {
      all.put(need, true);
    }
    return new ServerCapabilities(baseUrl, "unknown", "unknown", all, null);
  }

  public boolean supports(ServerNeed need) {
    return supported.get(need);
  }

  /** The write needs the server lacks; empty when the app can write back. */
  public List<ServerNeed> missingForWriting() {
    return supported.entrySet().stream().filter(e -> e.getKey().forWriting() && !e.getValue())
        .map(Map.Entry::getKey).toList();
  }

  /** The SMART endpoints and capabilities, when the server publishes them. */
  public record SmartConfiguration(String authorizationEndpoint, String tokenEndpoint, List<String> capabilities) {
    public SmartConfiguration {
      capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
  }
}
