package archy.blossom;

import archy.config.Blossom;
import archy.http.Cors;
import archy.plugin.BlobGet;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.BlobVerdict;
import archy.plugin.Blobs;
import archy.plugin.DeliveryMeter;
import archy.plugin.Hooks;
import archy.plugin.Origin;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BUD-01 {@code GET}/{@code HEAD /<sha256>[.ext]} and {@code /b3/<blake3>}: stored type, ranges, a strong
 * ETag (the sha256, whichever address was used: same bytes), 304 on {@code If-None-Match}, immutable
 * caching, the {@code rejectGet} policies (which may deny or ask for payment), fetch-through for missing
 * blobs via {@code onBlobMissing}, and {@code onBlobServed} with the bytes handed to the client (metered by a
 * {@link DeliveryMeter}, rounding against the client).
 */
final class GetEndpoint {
  private static final Logger log = LoggerFactory.getLogger(GetEndpoint.class);
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final BlobStore store;
  private final Hooks hooks;
  private final BlossomAuth auth;
  private final Blossom config;

  GetEndpoint(BlobStore store, Hooks hooks, BlossomAuth auth, Blossom config) {
    this.store = store;
    this.hooks = hooks;
    this.auth = auth;
    this.config = config;
  }

  void handle(Request request, Response response, Callback callback, String hash, boolean byBlake3) {
    String sha256 = byBlake3 ? null : hash;
    HttpFields headers = request.getHeaders();
    Origin origin = origin(request, sha256);
    Optional<BlobInfo> found = byBlake3 ? store.byBlake3(hash) : store.bySha256(hash);
    if (found.isEmpty()) {
      Optional<BlobSource> source = hooks.sourceForMissing(sha256, byBlake3 ? hash : null, origin);
      if (source.isEmpty()) {
        Replies.error(request, response, callback, 404, "blob not found");
        return;
      }
      found = fetchThrough(request, response, callback, source.get(), sha256, byBlake3 ? hash : null);
      if (found.isEmpty()) return;
    }
    BlobInfo blob = found.get();
    String etag = "\"" + blob.sha256() + "\"";
    if (matches(headers.get(HttpHeader.IF_NONE_MATCH), etag)) {
      cacheHeaders(response, etag, IMMUTABLE);
      Replies.empty(response, callback, 304);
      return;
    }
    String ifRange = headers.get(HttpHeader.IF_RANGE);
    ByteRange range = ifRange != null && !ifRange.strip().equals(etag) ? ByteRange.WHOLE
        : ByteRange.parse(headers.get(HttpHeader.RANGE), blob.size());
    if (range instanceof ByteRange.Unsatisfiable) {
      response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + blob.size());
      Replies.error(request, response, callback, 416, "range not satisfiable for a blob of " + blob.size() + " bytes");
      return;
    }
    long first = range instanceof ByteRange.Partial p ? p.first() : 0;
    long length = range instanceof ByteRange.Partial p ? p.length() : blob.size();
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    BlobGet get = new BlobGet(blob, first, length, range instanceof ByteRange.Partial, head, headers, origin);
    BlobVerdict verdict = hooks.checkGet(get);
    switch (verdict) {
      case BlobVerdict.Deny d -> Replies.error(request, response, callback, d.status(), d.reason());
      case BlobVerdict.PaymentRequired p -> {
        store.metrics().paymentRequired("get");
        Replies.error(request, response, callback, 402, p.reason(), p.headers());
      }
      case BlobVerdict.Allow a -> serve(request, response, callback, get, etag, a);
    }
  }

  private void serve(Request request, Response response, Callback callback, BlobGet get, String etag,
                     BlobVerdict.Allow allow) {
    BlobInfo blob = get.blob();
    // Every allow is ended exactly once, also when no byte goes out, so a policy's reservation is released.
    DeliveryMeter meter = new DeliveryMeter(sent -> {
      if (!get.head()) hooks.blobServed(get, sent);
      allow.onServed().accept(sent);
    });
    cacheHeaders(response, etag, IMMUTABLE);
    var h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, blob.type());
    h.put(HttpHeader.CONTENT_LENGTH, get.length());
    if (get.partial()) {
      h.put(HttpHeader.CONTENT_RANGE, "bytes " + get.offset() + "-" + (get.offset() + get.length() - 1) + "/"
          + blob.size());
    }
    if (config.retentionDays() > 0) {
      Instant sunset = Instant.ofEpochSecond(blob.created() + config.retentionDays() * 86_400L);
      h.put("Sunset", DateTimeFormatter.RFC_1123_DATE_TIME.format(sunset.atOffset(ZoneOffset.UTC)));
    }
    allow.headers().forEach(h::put);
    response.setStatus(get.partial() ? 206 : 200);
    if (get.head()) {
      meter.end();
      response.write(true, BufferUtil.EMPTY_BUFFER, callback);
      return;
    }
    BlobStorage.Body body;
    try {
      body = store.body(blob, get.offset(), get.length());
    } catch (IOException e) {
      log.warn("blob {} is indexed but its bytes cannot be opened", blob.sha256(), e);
      meter.end();
      h.remove(HttpHeader.CONTENT_LENGTH);
      h.remove(HttpHeader.CONTENT_RANGE);
      Replies.error(request, response, callback, 404, "blob not found");
      return;
    }
    body.send(response, callback, meter);
  }

  /** Fetches a missing blob from a plugin's source; empty (with the error sent) when that fails. */
  private Optional<BlobInfo> fetchThrough(Request request, Response response, Callback callback, BlobSource source,
                                          String sha256, String blake3) {
    if ((sha256 != null && source.sha256() != null && !sha256.equals(source.sha256()))
        || (blake3 != null && source.blake3() != null && !blake3.equals(source.blake3()))) {
      Replies.error(request, response, callback, 502, "the plugin's source is for another blob");
      return Optional.empty();
    }
    // The requested address is always checked, whatever the plugin said.
    BlobSource checked = new BlobSource(sha256 != null ? sha256 : source.sha256(),
        blake3 != null ? blake3 : source.blake3(), source.type(), source.owner(), source.opener());
    try {
      return switch (store.store(checked, config.maxUploadBytes())) {
        case Blobs.StoreResult.Stored s -> Optional.of(s.blob());
        case Blobs.StoreResult.Refused r -> {
          Replies.error(request, response, callback, 502, "fetching the blob failed: " + r.reason());
          yield Optional.empty();
        }
      };
    } catch (IOException e) {
      Replies.error(request, response, callback, 502, "fetching the blob failed: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The client's address, with the key of a valid BUD-11 {@code get} token (optional on GET). */
  private Origin origin(Request request, String sha256) {
    String address = Request.getRemoteAddr(request);
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) return Origin.client(address, Set.of());
    return switch (auth.check(header, "get", sha256)) {
      case BlossomAuth.Result.Authorized a -> Origin.client(address, Set.of(a.pubkey()));
      default -> Origin.client(address, Set.of());
    };
  }

  private static void cacheHeaders(Response response, String etag, String cacheControl) {
    Cors.apply(response);
    var h = response.getHeaders();
    h.put(HttpHeader.ETAG, etag);
    h.put(HttpHeader.CACHE_CONTROL, cacheControl);
    h.put(HttpHeader.ACCEPT_RANGES, "bytes");
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) return false;
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.startsWith("W/")) t = t.substring(2);
      if (t.equals("*") || t.equals(etag)) return true;
    }
    return false;
  }
}
