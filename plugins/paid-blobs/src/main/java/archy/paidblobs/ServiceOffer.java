package archy.paidblobs;

import archy.ecash.gate.PaymentGate;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's kind 10021 paid-service advert (PROTOCOLS.md §2.4, TollGate TIP-01/02 shape): bytes metered
 * per 10^6-byte step, one {@code price_per_step} per accepted mint, the service, and where to fetch.
 */
final class ServiceOffer {
  static final int KIND = 10021;
  private static final Logger log = LoggerFactory.getLogger(ServiceOffer.class);

  private final Keys keys;
  private final String publicUrl;
  private final PaymentGate gate;
  private final Clock clock;

  ServiceOffer(Keys keys, String publicUrl, PaymentGate gate, Clock clock) {
    this.keys = keys;
    this.publicUrl = publicUrl;
    this.gate = gate;
    this.clock = clock;
  }

  Event event() {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("metric", "bytes"));
    tags.add(List.of("step_size", "1000000"));
    String price = String.valueOf(gate.satsPerMb(PaymentGate.CONTENT_DOWNLOAD, null));
    for (String mint : gate.mints()) tags.add(List.of("price_per_step", "cashu", price, "sat", mint, "1"));
    tags.add(List.of("service", PaymentGate.CONTENT_DOWNLOAD));
    tags.add(List.of("endpoint", "https", publicUrl));
    return EventSigner.sign(keys, clock.instant().getEpochSecond(), KIND, tags, "");
  }

  void publish(EventGateway events) {
    try {
      EventGateway.Published result = events.publish(event(), Origin.INTERNAL).get();
      if (!result.accepted()) log.warn("the kind 10021 offer was refused: {}", result.message());
    } catch (Exception e) {
      log.warn("publishing the kind 10021 offer failed", e);
    }
  }
}
