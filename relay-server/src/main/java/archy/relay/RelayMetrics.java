package archy.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** The relay's Prometheus metrics; names are listed in docs/operations.md. */
final class RelayMetrics {
  private final MeterRegistry registry;
  private final Counter accepted;
  private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
  final Timer query;

  RelayMetrics(MeterRegistry registry, ConnectionRegistry connections, SubscriptionIndex subscriptions,
               OutputBudget output) {
    this.registry = registry;
    this.accepted = Counter.builder("archy.events.accepted").description("Events accepted (stored or broadcast)")
        .register(registry);
    this.query = Timer.builder("archy.query").description("REQ and COUNT time from request to EOSE")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    Gauge.builder("archy.connections", connections, ConnectionRegistry::size)
        .description("Open WebSocket connections").register(registry);
    Gauge.builder("archy.subscriptions", subscriptions, SubscriptionIndex::size)
        .description("Open subscriptions").register(registry);
    Gauge.builder("archy.output.queued.bytes", output, OutputBudget::queuedBytes)
        .description("Bytes queued for clients, all connections together").register(registry);
  }

  void accepted() {
    accepted.increment();
  }

  /** Counts a rejection under its NIP-01 prefix ("invalid", "blocked", ...). */
  void rejected(String message) {
    int colon = message.indexOf(':');
    String reason = colon > 0 && colon < 20 ? message.substring(0, colon) : "error";
    rejected.computeIfAbsent(reason, r -> Counter.builder("archy.events.rejected").tag("reason", r)
        .description("Events rejected, by NIP-01 prefix").register(registry)).increment();
  }
}
