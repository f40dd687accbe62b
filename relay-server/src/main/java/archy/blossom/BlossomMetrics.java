package archy.blossom;

import archy.plugin.Hooks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Blossom's Prometheus counters; names are listed in docs/operations.md. */
final class BlossomMetrics {
  private final Counter stored;
  private final Counter storedBytes;
  private final MeterRegistry registry;

  BlossomMetrics(MeterRegistry registry, Hooks hooks) {
    this.registry = registry;
    for (String endpoint : new String[] {"get", "upload", "mirror"}) paymentRequired(endpoint, 0);
    this.stored = Counter.builder("archy.blossom.blobs.stored").description("New blobs stored (uploads, mirrors, fetch-through)")
        .register(registry);
    this.storedBytes = Counter.builder("archy.blossom.stored.bytes").description("Bytes of new blobs stored")
        .register(registry);
    Counter gets = Counter.builder("archy.blossom.gets").description("Blob GET bodies sent").register(registry);
    Counter served = Counter.builder("archy.blossom.served.bytes").description("Blob bytes that reached clients")
        .register(registry);
    // The same hook plugins meter with: the bytes that actually reached the socket.
    hooks.onBlobServed((get, sent) -> {
      gets.increment();
      served.increment(sent);
    });
  }

  /** A 402 sent: a policy (paid-blobs) asked for payment before serving or storing. */
  void paymentRequired(String endpoint) {
    paymentRequired(endpoint, 1);
  }

  private void paymentRequired(String endpoint, int n) {
    Counter.builder("archy.blossom.payment.required").tag("endpoint", endpoint)
        .description("402 Payment Required answers sent, by endpoint (get, upload, mirror)").register(registry)
        .increment(n);
  }

  void stored(long size) {
    stored.increment();
    storedBytes.increment(size);
  }
}
