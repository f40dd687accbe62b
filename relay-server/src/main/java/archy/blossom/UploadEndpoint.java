package archy.blossom;

import archy.nostr.Hex;
import archy.plugin.BlobUpload;
import archy.plugin.BlobVerdict;
import archy.plugin.Blobs;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BUD-02 {@code PUT /upload} and BUD-06 {@code HEAD /upload}. The body streams to a temp file while both
 * hashes are computed ({@link BlobWriter}); every policy that can be decided from the headers is decided
 * before the first byte is read, so a refused multi-GB upload costs nothing.
 */
final class UploadEndpoint {
  private static final Logger log = LoggerFactory.getLogger(UploadEndpoint.class);
  private final BlobStore store;
  private final BlossomAuth auth;
  private final UploadRules rules;
  private final String publicUrl;

  UploadEndpoint(BlobStore store, BlossomAuth auth, UploadRules rules, String publicUrl) {
    this.store = store;
    this.auth = auth;
    this.rules = rules;
    this.publicUrl = publicUrl;
  }

  /** What the headers announce, once authorized and allowed; null when a refusal was already sent. */
  private record Admitted(BlossomAuth.Result.Authorized auth, String sha256, long size, String type) {}

  void preflight(Request request, Response response, Callback callback) {
    HttpFields h = request.getHeaders();
    String lengthHeader = h.get("X-Content-Length");
    Admitted admitted = admit(request, response, callback, lengthHeader, h.get("X-Content-Type"), true);
    if (admitted != null) Replies.empty(response, callback, 200);
  }

  void upload(Request request, Response response, Callback callback) throws IOException {
    long length = request.getLength();
    Admitted admitted = admit(request, response, callback, length < 0 ? null : Long.toString(length),
        request.getHeaders().get(HttpHeader.CONTENT_TYPE), false);
    if (admitted == null) return;
    BlobWriter.Written written;
    try (BlobWriter writer = store.newWriter(admitted.size())) {
      ClientBody body = new ClientBody(Content.Source.asInputStream(request));
      try {
        writer.writeAll(body);
      } catch (ClientBody.Failed e) {
        // The client's problem, not ours: one line, no stack trace (the writer drops the partial file).
        String reason = "the body ended after " + writer.size() + " of its " + admitted.size() + " bytes";
        log.info("upload from {} refused: {} ({})", Request.getRemoteAddr(request), reason, e.getMessage());
        Replies.error(request, response, callback, 400, reason);
        return;
      }
      if (writer.size() != admitted.size()) {
        Replies.error(request, response, callback, 400, "the body is shorter than its Content-Length");
        return;
      }
      written = writer.finish();
    } catch (BlobWriter.TooLarge e) {
      Replies.error(request, response, callback, 413, "the body is longer than its Content-Length");
      return;
    }
    String refusal = null;
    int status = 0;
    if (admitted.sha256() != null && !admitted.sha256().equals(written.sha256())) {
      status = 409;
      refusal = "X-SHA-256 does not match the body (its sha256 is " + written.sha256() + ")";
    } else if (!BlossomAuth.coversHash(admitted.auth().event(), written.sha256())) {
      status = 403;
      refusal = "authorization does not cover blob " + written.sha256();
    }
    String type = MediaTypes.sniff(admitted.type(), written.head());
    if (refusal == null && rules.checkType(type) instanceof BlobVerdict.Deny d) {
      status = d.status();
      refusal = d.reason();
    }
    if (refusal != null) {
      store.discard(written);
      Replies.error(request, response, callback, status, refusal);
      return;
    }
    String pubkey = admitted.auth().pubkey();
    Blobs.StoreResult.Stored stored = store.commit(written, type, pubkey);
    long uploaded = store.index().uploadedBy(stored.blob().sha256(), pubkey).orElse(stored.blob().created());
    Replies.json(request, response, callback, stored.created() ? 201 : 200,
        Descriptor.json(publicUrl, stored.blob(), uploaded));
  }

  /**
   * Authorization, then the announced hash, size and type against the rules and the plugins. Sends the
   * refusal and returns null when the upload may not go ahead.
   */
  private Admitted admit(Request request, Response response, Callback callback, String size, String contentType,
                         boolean preflight) {
    HttpFields h = request.getHeaders();
    String sha256 = h.get("X-SHA-256");
    if (sha256 != null) {
      sha256 = sha256.strip().toLowerCase(Locale.ROOT);
      if (!Hex.isLowerHex(sha256, 64)) {
        Replies.error(request, response, callback, 400, "X-SHA-256 must be 64 hex characters");
        return null;
      }
    }
    BlossomAuth.Result.Authorized authorized;
    switch (auth.check(h.get(HttpHeader.AUTHORIZATION), "upload", sha256)) {
      case BlossomAuth.Result.Authorized a -> authorized = a;
      case BlossomAuth.Result.Missing m -> {
        Replies.error(request, response, callback, 401, "uploads need a BUD-11 authorization (kind 24242, t=upload)");
        return null;
      }
      case BlossomAuth.Result.Failed f -> {
        Replies.error(request, response, callback, f.status(), f.reason());
        return null;
      }
    }
    if (size == null) {
      Replies.error(request, response, callback, 411, preflight ? "X-Content-Length is required"
          : "Content-Length is required");
      return null;
    }
    long bytes;
    try {
      bytes = Long.parseLong(size.strip());
      if (bytes < 0) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      Replies.error(request, response, callback, 400, "X-Content-Length must be a byte count");
      return null;
    }
    String type = MediaTypes.normalize(contentType);
    BlobUpload upload = new BlobUpload(authorized.pubkey(), authorized.event(), sha256, bytes, type, h,
        Request.getRemoteAddr(request), preflight);
    return switch (rules.check(upload)) {
      case BlobVerdict.Allow a -> new Admitted(authorized, sha256, bytes, type);
      case BlobVerdict.Deny d -> {
        Replies.error(request, response, callback, d.status(), d.reason());
        yield null;
      }
      case BlobVerdict.PaymentRequired p -> {
        store.metrics().paymentRequired("upload");
        Replies.error(request, response, callback, 402, p.reason(), p.headers());
        yield null;
      }
    };
  }
}
