package archy.blossom;

import archy.config.Blossom;
import archy.plugin.BlobUpload;
import archy.plugin.BlobVerdict;
import archy.plugin.Blobs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * BUD-04 {@code PUT /mirror}: fetch {@code {"url": …}} from another server into the store, as if the
 * caller had uploaded it. The fetch uses the node's outgoing client (SSRF guard in
 * {@link PublicAddressResolver}, timeouts); the body is capped at the upload limit while it streams, and
 * the bytes must hash to the token's {@code x} tag.
 */
final class MirrorEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REQUEST_BODY = 16 * 1024;

  private final BlobStore store;
  private final BlossomAuth auth;
  private final UploadRules rules;
  private final Blossom config;
  private final String publicUrl;
  private final HttpClient client;

  MirrorEndpoint(BlobStore store, BlossomAuth auth, UploadRules rules, Blossom config, String publicUrl,
                 HttpClient client) {
    this.store = store;
    this.auth = auth;
    this.rules = rules;
    this.config = config;
    this.publicUrl = publicUrl;
    this.client = client;
  }

  void mirror(Request request, Response response, Callback callback) throws IOException {
    BlossomAuth.Result.Authorized authorized;
    switch (auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), "upload", null)) {
      case BlossomAuth.Result.Authorized a -> authorized = a;
      case BlossomAuth.Result.Missing m -> {
        Replies.error(request, response, callback, 401, "mirroring needs a BUD-11 authorization (kind 24242, t=upload)");
        return;
      }
      case BlossomAuth.Result.Failed f -> {
        Replies.error(request, response, callback, f.status(), f.reason());
        return;
      }
    }
    URI url = target(Content.Source.asInputStream(request).readNBytes(MAX_REQUEST_BODY + 1));
    if (url == null) {
      Replies.error(request, response, callback, 400, "the body must be {\"url\": \"http(s)://…\"}");
      return;
    }
    List<String> xs = BlossomAuth.values(authorized.event(), "x");
    InputStreamResponseListener listener = new InputStreamResponseListener();
    client.newRequest(url).idleTimeout(config.mirrorTimeoutSeconds(), TimeUnit.SECONDS).send(listener);
    org.eclipse.jetty.client.Response origin;
    try {
      origin = listener.get(config.mirrorTimeoutSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      if (isPrivate(e)) {
        Replies.error(request, response, callback, 403, "refusing to mirror from a private or loopback address");
      } else {
        Replies.error(request, response, callback, 502, "could not reach the origin: " + rootMessage(e));
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    try (InputStream body = listener.getInputStream()) {
      if (origin.getStatus() != 200) {
        Replies.error(request, response, callback, 502, "the origin answered " + origin.getStatus());
        return;
      }
      long size = origin.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      String announced = origin.getHeaders().get(HttpHeader.CONTENT_TYPE);
      String type = announced != null ? MediaTypes.normalize(announced) : MediaTypes.fromExtension(url.getPath());
      BlobUpload upload = new BlobUpload(authorized.pubkey(), authorized.event(), xs.size() == 1 ? xs.get(0) : null,
          size, type, request.getHeaders(), Request.getRemoteAddr(request), false);
      switch (rules.check(upload)) {
        case BlobVerdict.Deny d -> {
          Replies.error(request, response, callback, d.status(), d.reason());
          return;
        }
        case BlobVerdict.PaymentRequired p -> {
          store.metrics().paymentRequired("mirror");
          Replies.error(request, response, callback, 402, p.reason(), p.headers());
          return;
        }
        case BlobVerdict.Allow a -> { }
      }
      store(request, response, callback, authorized, body, type, xs);
    }
  }

  private void store(Request request, Response response, Callback callback, BlossomAuth.Result.Authorized authorized,
                     InputStream body, String type, List<String> xs) throws IOException {
    BlobWriter.Written written;
    try (BlobWriter writer = store.newWriter(config.maxUploadBytes())) {
      writer.writeAll(body);
      written = writer.finish();
    } catch (BlobWriter.TooLarge e) {
      Replies.error(request, response, callback, 413, "the mirrored blob exceeds " + config.maxUploadBytes() + " bytes");
      return;
    } catch (IOException e) {
      Replies.error(request, response, callback, 502, "reading from the origin failed: " + rootMessage(e));
      return;
    }
    if (!xs.isEmpty() && !xs.contains(written.sha256())) {
      store.discard(written);
      Replies.error(request, response, callback, 409, "the mirrored blob's sha256 " + written.sha256()
          + " is not in the authorization's x tags");
      return;
    }
    String stored = MediaTypes.sniff(type, written.head());
    if (rules.checkType(stored) instanceof BlobVerdict.Deny d) {
      store.discard(written);
      Replies.error(request, response, callback, d.status(), d.reason());
      return;
    }
    Blobs.StoreResult.Stored result = store.commit(written, stored, authorized.pubkey());
    long uploaded = store.index().uploadedBy(result.blob().sha256(), authorized.pubkey()).orElse(result.blob().created());
    Replies.json(request, response, callback, result.created() ? 201 : 200,
        Descriptor.json(publicUrl, result.blob(), uploaded));
  }

  private static URI target(byte[] body) {
    if (body.length > MAX_REQUEST_BODY) return null;
    try {
      JsonNode url = JSON.readTree(body).path("url");
      if (!url.isTextual()) return null;
      URI uri = new URI(url.asText().strip());
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) return null;
      return uri.getHost() == null ? null : uri;
    } catch (IOException | URISyntaxException e) {
      return null;
    }
  }

  private static boolean isPrivate(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PublicAddressResolver.PrivateAddress) return true;
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) c = c.getCause();
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
