package archy.paidblobs;

import archy.ecash.gate.PaymentGate;
import archy.ecash.request.InvalidPaymentRequestException;
import archy.ecash.request.PaymentRequest;
import archy.nostr.Hex;
import archy.plugin.BlobGet;
import archy.plugin.BlobInfo;
import archy.plugin.BlobVerdict;
import archy.plugin.Blobs;
import archy.plugin.Hooks;
import archy.plugin.Origin;
import archy.quic.QuicHandler;
import archy.quic.QuicReply;
import archy.quic.QuicRequest;
import archy.quic.QuicStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code archy/paid-blobs/1} (PROTOCOLS.md §5.1): a blob by BLAKE3 with {@code offset}/{@code length}, through the
 * very {@code rejectGet} policies of the HTTP path: the request becomes the {@link BlobGet} an HTTP GET with the
 * same token ({@code X-Cashu}) and session ({@code X-Archy-Session}) would be, from the authenticated node key
 * (so {@code free_peers} applies), and the policies' answer becomes the §5.1 header. One session pays on both
 * transports; the bytes the QUIC stack took are debited (a stream cut off counts what was handed over: rounding
 * against the client, as on HTTP).
 */
final class QuicPaidBlobs implements QuicHandler {
  static final String ALPN = "archy/paid-blobs/1";
  private static final Logger log = LoggerFactory.getLogger(QuicPaidBlobs.class);

  private final Hooks hooks;
  private final Blobs blobs;
  private final PaymentGate gate;

  QuicPaidBlobs(Hooks hooks, Blobs blobs, PaymentGate gate) {
    this.hooks = hooks;
    this.blobs = blobs;
    this.gate = gate;
  }

  @Override
  public void handle(QuicRequest request, QuicReply reply) {
    JsonNode h = request.header();
    String want = h.path("want").asText("");
    if (want.startsWith("blake3:")) want = want.substring(7);
    if (!Hex.isLowerHex(want, 64)) {
      reply.refuse(400, "want must be a 64-character lowercase hex BLAKE3 hash");
      return;
    }
    Optional<BlobInfo> found = blobs.byBlake3(want);
    if (found.isEmpty()) {
      reply.answer(QuicStatus.of(404));
      return;
    }
    BlobInfo blob = found.get();
    long offset = h.path("offset").asLong(0);
    JsonNode lengthNode = h.get("length");
    if (offset < 0 || offset > blob.size() || (lengthNode != null && !lengthNode.isNull()
        && (!lengthNode.canConvertToLong() || lengthNode.asLong() < 0))) {
      reply.refuse(400, "offset and length must lie within the blob of " + blob.size() + " bytes");
      return;
    }
    long length = lengthNode == null || lengthNode.isNull() ? blob.size() - offset
        : Math.min(lengthNode.asLong(), blob.size() - offset);
    HttpFields.Mutable fields = HttpFields.build();
    String token = h.path("token").asText(null);
    String session = h.path("session").asText(null);
    if (token != null) fields.put(PaidGetPolicy.CASHU_HEADER, token);
    if (session != null) fields.put(PaidGetPolicy.SESSION_HEADER, session);
    Set<String> keys = request.peer().nodeKey().map(Set::of).orElse(Set.of());
    Origin origin = Origin.client(request.remote().getAddress().getHostAddress(), keys);
    boolean partial = offset != 0 || length != blob.size();
    BlobGet get = new BlobGet(blob, offset, length, partial, false, fields.asImmutable(), origin);
    switch (hooks.checkGet(get)) {
      case BlobVerdict.Deny d -> reply.refuse(d.status(), d.reason());
      case BlobVerdict.PaymentRequired p -> reply.answer(paymentRequired(p));
      case BlobVerdict.Allow a -> serve(reply, get, a);
    }
  }

  private void serve(QuicReply reply, BlobGet get, BlobVerdict.Allow allow) {
    ObjectNode header = QuicStatus.of(200).put("size", get.blob().size()).put("offset", get.offset())
        .put("length", get.length());
    String session = allow.headers().get(PaidGetPolicy.SESSION_HEADER);
    if (session != null) header.put("session", session);
    long sent = 0;
    try {
      InputStream body = blobs.open(get.blob(), get.offset(), get.length());
      sent = reply.stream(header, body).bytes();
    } catch (IOException | RuntimeException e) {
      log.info("archy/paid-blobs/1: blob {} could not be sent: {}", get.blob().blake3(), e.getMessage());
      reply.reset();
    } finally {
      // Exactly once per allow, as on HTTP: the reservation is settled with what went out.
      hooks.blobServed(get, sent);
      allow.onServed().accept(sent);
    }
  }

  private ObjectNode paymentRequired(BlobVerdict.PaymentRequired p) {
    String creq = p.headers().get(PaidGetPolicy.CASHU_HEADER);
    ObjectNode header = QuicStatus.of(402).put("request", creq).put("session", p.headers().get(PaidGetPolicy.SESSION_HEADER))
        .put("reason", p.reason());
    String price = p.headers().get(PaidGetPolicy.PRICE_HEADER);
    if (price != null) header.put("sats_per_mb", Long.parseLong(price));
    var mints = header.putArray("mints");
    gate.mints().forEach(mints::add);
    try {
      PaymentRequest request = PaymentRequest.decode(creq);
      if (request.amount() != null) header.put("amount", request.amount());
    } catch (InvalidPaymentRequestException unreadable) {
      // the request is ours; an unreadable one would be a bug elsewhere, and the client reads "request" anyway
    }
    return header;
  }
}
