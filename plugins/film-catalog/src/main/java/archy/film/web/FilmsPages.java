package archy.film.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The film web app at {@code /films} and the publishing page at {@code /backstage} (no build step): static pages from this jar that read
 * {@code /api/film-catalog} and play films with hls.js, which comes from the hls.js WebJar on the class path
 * ({@code org.webjars.npm:hls.js}, a Maven dependency) and is served at {@code /films/hls.min.js}.
 * Everything is read once at start; every page is small and served from memory.
 */
public final class FilmsPages extends Handler.Abstract {
  public static final String PATH = "/films";
  /** The publishing page (issue 15): a trusted publisher uploads, transcodes and publishes a film. */
  public static final String BACKSTAGE = "/backstage";
  private static final String HTML = "text/html; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  private record Asset(byte[] bytes, String type, String cacheControl) {}

  private final Map<String, Asset> assets;

  public FilmsPages() {
    Asset catalog = own("catalog.html", HTML);
    Asset backstage = own("backstage.html", HTML);
    this.assets = Map.ofEntries(
        Map.entry(BACKSTAGE, backstage),
        Map.entry(BACKSTAGE + "/", backstage),
        Map.entry(PATH + "/backstage.js", own("backstage.js", JS)),
        Map.entry(PATH, catalog),
        Map.entry(PATH + "/", catalog),
        Map.entry(PATH + "/watch", own("watch.html", HTML)),
        Map.entry(PATH + "/films.css", own("films.css", CSS)),
        Map.entry(PATH + "/catalog.js", own("catalog.js", JS)),
        Map.entry(PATH + "/watch.js", own("watch.js", JS)),
        Map.entry(PATH + "/common.js", own("common.js", JS)),
        Map.entry(PATH + "/hls.min.js", hlsJs()));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Asset asset = assets.get(Request.getPathInContext(request));
    if (asset == null) return false;
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    if (!head && !HttpMethod.GET.is(request.getMethod())) {
      response.setStatus(405);
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      response.getHeaders().put("X-Reason", "only GET and HEAD");
      callback.succeeded();
      return true;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.type());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, asset.cacheControl());
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(asset.bytes()), callback);
    return true;
  }

  private static Asset own(String name, String type) {
    // Pages change with the node's version: revalidate each time (they are tiny).
    return new Asset(read("archy/film/web/" + name), type, "no-cache");
  }

  /** hls.js from its WebJar; the version is read from the jar itself, so a dependency bump needs no code change. */
  private static Asset hlsJs() {
    Properties pom = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars.npm/hls.js/pom.properties")) {
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String path = "META-INF/resources/webjars/hls.js/" + pom.getProperty("version") + "/dist/hls.min.js";
    return new Asset(read(path), JS, "public, max-age=86400");
  }

  private static byte[] read(String path) {
    try (InputStream in = resource(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = FilmsPages.class.getClassLoader().getResourceAsStream(path);
    if (in == null) throw new IllegalStateException(path + " is not on the class path (film-catalog's jar or the hls.js WebJar)");
    return in;
  }
}
