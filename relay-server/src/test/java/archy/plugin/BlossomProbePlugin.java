package archy.plugin;

import archy.http.HttpFront;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A test plugin that uses each Blossom hook and the blob store, so {@code BlossomPluginTest} can prove
 * each works through a real node. Its state is static because ServiceLoader makes the instance.
 */
public final class BlossomProbePlugin implements RelayPlugin {
  static final Set<String> paid = ConcurrentHashMap.newKeySet();
  /** Bytes {@code onBlobMissing} offers, by the sha256 or BLAKE3 a client asks for. */
  static final Map<String, byte[]> sources = new ConcurrentHashMap<>();
  static final List<String> served = new CopyOnWriteArrayList<>();
  static final List<BlobUpload> uploads = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "blossom-probe";
  }

  @Override
  public void install(PluginContext ctx) {
    ctx.hooks().rejectUpload(upload -> {
      uploads.add(upload);
      return switch (upload.type()) {
        case "application/x-probe-refused" -> BlobVerdict.deny(403, "the probe refuses this type");
        case "application/x-probe-paid" -> upload.headers().get("X-Cashu") == null
            ? BlobVerdict.paymentRequired(Map.of("X-Cashu", "creqAprobe"), "the probe wants payment")
            : BlobVerdict.allow();
        default -> BlobVerdict.allow();
      };
    });
    ctx.hooks().rejectGet(get -> {
      if (!paid.contains(get.blob().sha256())) return BlobVerdict.allow();
      String token = get.headers().get("X-Cashu");
      if (token == null) {
        return BlobVerdict.paymentRequired(Map.of("X-Cashu", "creqAprobe" + get.length()), "payment required");
      }
      return token.equals("cashuBgood")
          ? BlobVerdict.allow(Map.of("Cache-Control", "private"), bytes -> served.add("paid:" + bytes))
          : BlobVerdict.deny(400, "the probe does not accept this token");
    });
    ctx.hooks().onBlobServed((get, bytes) -> served.add(get.blob().sha256() + ":" + bytes));
    ctx.hooks().onBlobMissing((sha256, blake3, origin) -> {
      byte[] bytes = sources.get(sha256 != null ? sha256 : blake3);
      if (bytes == null) return Optional.empty();
      return Optional.of(new BlobSource(sha256, blake3, "text/plain", null, () -> new ByteArrayInputStream(bytes)));
    });
    ctx.route("/api/blossom-probe", new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.equals("/api/blossom-probe/store") && HttpMethod.PUT.is(request.getMethod())) {
          InputStream body = Content.Source.asInputStream(request);
          Fields q = Request.extractQueryParameters(request);
          BlobSource source = new BlobSource(q.getValue("sha256"), null, "text/plain", null, () -> body);
          String answer = switch (ctx.blobs().store(source, 1 << 20)) {
            case Blobs.StoreResult.Stored s -> "stored " + s.blob().sha256() + " " + s.created();
            case Blobs.StoreResult.Refused r -> "refused " + r.reason();
          };
          HttpFront.send(request, response, callback, 200, "text/plain", answer);
          return true;
        }
        if (path.startsWith("/api/blossom-probe/read/")) {
          Fields q = Request.extractQueryParameters(request);
          Optional<BlobInfo> blob = ctx.blobs().bySha256(path.substring("/api/blossom-probe/read/".length()));
          if (blob.isEmpty()) {
            HttpFront.send(request, response, callback, 404, "text/plain", "none");
            return true;
          }
          try (InputStream in = ctx.blobs().open(blob.get(), Long.parseLong(q.getValue("offset")),
              Long.parseLong(q.getValue("length")))) {
            HttpFront.send(request, response, callback, 200, "text/plain",
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
          }
          return true;
        }
        return false;
      }
    });
  }
}
