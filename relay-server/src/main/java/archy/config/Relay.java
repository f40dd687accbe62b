package archy.config;

import java.util.Map;
import java.util.Set;

/** The {@code [relay]} section: NIP-11 identity, NIP-42 policy and the limits every client meets. */
public record Relay(
    String name,
    String description,
    String contact,
    String pubkey,
    Set<String> admins,
    Set<Integer> authRequiredKinds,
    int maxFrameBytes,
    int maxEventBytes,
    Map<Integer, Integer> maxEventBytesByKind,
    int maxTags,
    int maxTagValueBytes,
    int maxSubscriptions,
    int maxFilters,
    int maxFilterValues,
    int maxSubscriptionIdLength,
    int defaultLimit,
    int maxLimit,
    long maxFutureSeconds,
    long maxPastSeconds,
    int maxConnectionsPerIp,
    double eventsPerSecond,
    int eventBurst,
    long maxPendingOutputBytes,
    long maxPendingOutputBytesPerIp,
    long maxPendingOutputBytesTotal,
    int idleTimeoutSeconds,
    int negentropyMaxSessions,
    int negentropyMaxRecords,
    int negentropyFrameBytes) {

  /** The size limit for events of this kind (per-kind override, else the general one). */
  public int maxEventBytesFor(int kind) {
    return maxEventBytesByKind.getOrDefault(kind, maxEventBytes);
  }
}
