package archy.relaybw;

import archy.ecash.gate.PaymentGate;
import archy.quic.QuicNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * relay-bandwidth's lines of the node's kind 10021 offer (PROTOCOLS.md §2.4; ecash-gate's {@code ServiceOffers}
 * merges them with paid-blobs' into the node's one advert): one {@code price_per_step} per accepted mint with the
 * service as 7th element, {@code ["service","relay-bandwidth"]}, {@code ["relay"]} and the pinned {@code quic}
 * endpoint of {@code archy/relay/1} while the port is open.
 */
final class RelayOffer {
  private final PaymentGate gate;
  private final QuicNetwork quic;

  RelayOffer(PaymentGate gate, QuicNetwork quic) {
    this.gate = gate;
    this.quic = quic;
  }

  List<List<String>> tags() {
    List<List<String>> tags = new ArrayList<>();
    String price = Long.toString(gate.satsPerMb(RelayHandler.SERVICE, RelayHandler.SCOPE));
    for (String mint : gate.mints()) {
      tags.add(List.of("price_per_step", "cashu", price, "sat", mint, "1", RelayHandler.SERVICE));
    }
    tags.add(List.of("service", RelayHandler.SERVICE));
    tags.add(List.of("relay"));
    if (quic.serves(RelayHandler.ALPN)) {
      quic.endpoint().ifPresent(hostPort -> tags.add(List.of("endpoint", "quic", hostPort, RelayHandler.ALPN,
          quic.fingerprint())));
    }
    return tags;
  }
}
