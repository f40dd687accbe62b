package archy.film.fetch;

import archy.quic.QuicNetwork;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;

/**
 * One whole blob from a seeder's {@code archy/paid-blobs/1} endpoint (PROTOCOLS.md §5.1) for a client that keeps it
 * itself ({@code archy fetch quic://…}): dials {@code host:port} pinning the given certificate, §5.0-authenticated
 * with the node key, and pays a 402 through the {@link Payer} like every QUIC request ({@link PaidQuic}: same caps,
 * a lost answer retried with the same token). Sessions are kept under {@code quic://host:port}. The caller verifies
 * the bytes.
 */
public final class SeederQuic {
  public static final String ALPN = QuicFetch.ALPN;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final QuicNetwork quic;

  public SeederQuic(QuicNetwork quic) {
    this.quic = quic;
  }

  /** The payer's key for a seeder's sessions: {@code quic://host:port} (its caps count the host name). */
  public static URI server(String hostPort) {
    return URI.create("quic://" + hostPort);
  }

  /**
   * @param payer pays a 402 within its caps; null: a 402 is a {@link RelayFetch.Refused}
   * @throws RelayFetch.Refused when the seeder answers anything but 200, with its status and reason
   * @throws PaymentDeclined    when the payer will not pay
   */
  public RelayFetch.Opened open(String hostPort, String fingerprint, String blake3, Payer payer)
      throws IOException, PaymentDeclined {
    ObjectNode want = JSON.createObjectNode().put("want", blake3).put("offset", 0).putNull("length");
    PaidQuic.Answer answer = PaidQuic.request(quic, new QuicTarget(hostPort, ALPN, fingerprint), want, server(hostPort),
        "blake3:" + blake3, payer);
    QuicResponse r = answer.response();
    if (r.status() != 200) {
      r.close();
      throw new RelayFetch.Refused(r.status(), r.header().path("reason").asText(r.status() == 402 ? "payment required" : ""));
    }
    return new RelayFetch.Opened(r, r.header().path("size").asLong(-1), answer.satsPaid());
  }
}
