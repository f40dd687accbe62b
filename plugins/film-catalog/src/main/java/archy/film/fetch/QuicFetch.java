package archy.film.fetch;

import archy.film.Endpoint;
import archy.film.FilmCatalog;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import archy.quic.QuicNetwork;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch-through from a seeder over QUIC ({@code archy/paid-blobs/1}, PROTOCOLS.md §5.1): dials the advertised
 * {@code host:port} pinning the advertised certificate, authenticated with the node key (§5.0, so a seeder's
 * {@code free_peers} applies), asks for the whole blob by BLAKE3 and streams the answer into the blob store, which
 * checks the hashes. A 402 is paid through the {@link Payer} (when given one) with the same caps as HTTP, and the
 * request is sent again with the token and the seeder's session.
 */
final class QuicFetch {
  static final String ALPN = "archy/paid-blobs/1";
  private static final Logger log = LoggerFactory.getLogger(QuicFetch.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final QuicNetwork quic;
  private final Blobs blobs;
  private final FilmCatalog catalog;
  private final String owner;

  QuicFetch(QuicNetwork quic, Blobs blobs, FilmCatalog catalog, String owner) {
    this.quic = quic;
    this.blobs = blobs;
    this.catalog = catalog;
    this.owner = owner;
  }

  sealed interface Outcome {
    record Stored(BlobInfo blob) implements Outcome {}

    /** The seeder asks for payment and no payer was given. */
    record AsksPayment() implements Outcome {}

    record Failed() implements Outcome {}
  }

  /** @param tee who else takes the bytes as they arrive ({@link Tee#NONE}: nobody) */
  Outcome fetch(Endpoint seeder, String sha256, String blake3, Payer payer, Tee tee) {
    QuicTarget target = new QuicTarget(seeder.address(), ALPN, seeder.fingerprint());
    URI server = URI.create("quic://" + seeder.address());
    ObjectNode want = JSON.createObjectNode().put("want", blake3).put("offset", 0).putNull("length");
    try {
      PaidQuic.Answer paid = PaidQuic.request(quic, target, want, server, "blake3:" + blake3, payer);
      QuicResponse r = paid.response();
      if (r.status() == 402) {
        r.close();
        return new Outcome.AsksPayment();
      }
      if (paid.satsPaid() > 0 && r.status() == 200) {
        log.info("fetch-through: paid {} sat over QUIC to {}", paid.satsPaid(), seeder.address());
      }
      try (QuicResponse answer = r) {
        if (answer.status() != 200) {
          log.info("fetch-through: quic://{} answered {} for blake3:{}", seeder.address(), answer.status(), blake3);
          return new Outcome.Failed();
        }
        long size = answer.header().path("size").asLong(-1);
        Blobs.StoreResult result = tee.store(blobs, new BlobSource(sha256, blake3, null, owner,
            () -> tee.open(answer.body(), size)), FetchThrough.MAX_BYTES);
        if (result instanceof Blobs.StoreResult.Stored stored) {
          catalog.learnSha256(stored.blob().blake3(), stored.blob().sha256());
          return new Outcome.Stored(stored.blob());
        }
        log.info("fetch-through: quic://{} refused: {}", seeder.address(), ((Blobs.StoreResult.Refused) result).reason());
      }
    } catch (PaymentDeclined e) {
      log.info("fetch-through: not paying quic://{}: {}", seeder.address(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.info("fetch-through: quic://{} failed: {}", seeder.address(), e.getMessage());
    }
    return new Outcome.Failed();
  }
}
