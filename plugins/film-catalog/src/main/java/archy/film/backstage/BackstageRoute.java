package archy.film.backstage;

import archy.film.FilmCatalog;
import archy.film.event.FilmEvent;
import archy.film.http.Replies;
import archy.film.key.Nip98;
import archy.film.publish.FilmMaker;
import archy.film.publish.PublishException;
import archy.http.HttpFront;
import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.InvalidEventException;
import archy.nostr.Schnorr;
import archy.plugin.Blobs;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backstage publishing API (the {@code /backstage} page's server side; docs/protocols.md "Backstage"). Every
 * request is NIP-98 authenticated ({@link Nip98}: 401 without it) and from a trusted film publisher of this node
 * (403 otherwise); an upload is its publisher's alone (403 for another). Refusals carry {@code X-Reason}.
 * <ul>
 *   <li>{@code GET /me} — who is signed in;</li>
 *   <li>{@code POST /uploads} {@code {"name","size","last_modified"}} — opens the upload of that file, or finds the
 *       one already begun (the same file resumes): its id, {@code offset} and the {@code chunk_bytes} to send;</li>
 *   <li>{@code PUT /uploads/<id>?offset=N} (body: the next bytes) — 409 with {@code Upload-Offset} when N is not
 *       what the node holds; {@code HEAD} and {@code GET /uploads/<id>} — the offset (header) and the state;</li>
 *   <li>{@code POST /uploads/<id>/transcode} — a finished upload becomes a film (ffmpeg HLS ladder, poster, every
 *       blob stored here); {@code GET} shows the phase and percent;</li>
 *   <li>{@code DELETE /uploads/<id>} — removes the source and the transcode's work files (not the film);</li>
 *   <li>{@code POST /uploads/<id>/template} {@code {"title","summary","genres","price"}} — the unsigned kind 30082;
 *       {@code POST /uploads/<id>/publish} (body: that event, signed by the publisher's NIP-07 signer) — published
 *       on this relay. The publisher's key never reaches the node.</li>
 * </ul>
 */
public final class BackstageRoute extends Handler.Abstract {
  public static final String PATH = "/api/backstage";
  /** What the page sends per PUT: few NIP-98 signatures for a large file, little memory per request. */
  static final int CHUNK_BYTES = 8 << 20;
  /** The largest PUT accepted (a client may choose larger chunks than advised, up to this). */
  static final int MAX_CHUNK_BYTES = 32 << 20;
  private static final int MAX_JSON_BYTES = 512 << 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventParser EVENTS = new EventParser(Schnorr.verifier());
  private static final Logger log = LoggerFactory.getLogger(BackstageRoute.class);

  private final Uploads uploads;
  private final Jobs jobs;
  private final FilmCatalog catalog;
  private final EventGateway events;
  private final String publicAuthority;
  private final Clock clock;

  public BackstageRoute(Path pluginData, long maxBytes, Blobs blobs, FilmCatalog catalog,
                        EventGateway events, String publicUrl, Clock clock) {
    this.uploads = new Uploads(pluginData.resolve("backstage"), maxBytes);
    this.jobs = new Jobs(pluginData.resolve("publish"), blobs);
    this.catalog = catalog;
    this.events = events;
    this.publicAuthority = URI.create(publicUrl).getRawAuthority();
    this.clock = clock;
  }

  /** Stops the transcode worker (the plugin closes). */
  public void close() {
    jobs.close();
  }

  /** A refusal: status and X-Reason. */
  private static final class Refusal extends Exception {
    final int status;

    Refusal(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(PATH) && !path.startsWith(PATH + "/")) return false;
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try {
      if (request.getHeaders().get(HttpHeader.AUTHORIZATION) == null) {
        // Refused before any body is read: only a signed request costs the node a chunk's memory.
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Nostr");
        throw new Refusal(401, "NIP-98 authorization required (Authorization: Nostr …)");
      }
      byte[] body = body(request);
      String caller = authenticate(request, response, body);
      if (!catalog.isTrustedPublisher(caller)) throw new Refusal(403, "not a trusted film publisher of this node");
      List<String> parts = List.of(path.substring(PATH.length()).replaceAll("^/+", "").split("/"));
      route(request, response, callback, parts, caller, body);
    } catch (Refusal r) {
      Replies.error(request, response, callback, r.status, r.getMessage());
    } catch (PublishException e) {
      Replies.error(request, response, callback, 400, e.getMessage());
    } catch (IOException e) {
      log.warn("backstage: {} {} failed", request.getMethod(), path, e);
      Replies.error(request, response, callback, 500, "the node could not keep the upload: " + e.getMessage());
    }
    return true;
  }

  /** The whole body, up to a chunk (PUT) or a JSON document; a body cut off midway is refused, nothing kept. */
  private static byte[] body(Request request) throws Refusal {
    int limit = HttpMethod.PUT.is(request.getMethod()) ? MAX_CHUNK_BYTES : MAX_JSON_BYTES;
    if (request.getLength() > limit) throw new Refusal(413, "a request body may be at most " + limit + " bytes");
    byte[] body;
    try {
      body = Content.Source.asInputStream(request).readNBytes(limit + 1);
    } catch (IOException e) {
      throw new Refusal(400, "the request body did not arrive whole: " + e.getMessage());
    }
    if (body.length > limit) throw new Refusal(413, "a request body may be at most " + limit + " bytes");
    return body;
  }

  private String authenticate(Request request, Response response, byte[] body) throws Refusal {
    Nip98.Result auth = Nip98.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), request.getMethod(),
        request.getHttpURI().getPathQuery(), List.of(publicAuthority, request.getHttpURI().getAuthority()), body,
        clock.instant().getEpochSecond());
    if (auth instanceof Nip98.Result.Refused r) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Nostr");
      throw new Refusal(401, r.reason());
    }
    return ((Nip98.Result.Authenticated) auth).pubkey();
  }

  private void route(Request request, Response response, Callback callback, List<String> parts, String caller,
                     byte[] body) throws Refusal, IOException {
    String method = request.getMethod();
    String first = parts.getFirst();
    if (first.equals("me") && parts.size() == 1) {
      need(method, "GET");
      json(request, response, callback, 200, JSON.createObjectNode().put("pubkey", caller).put("trusted", true));
    } else if (first.equals("uploads") && parts.size() == 1) {
      need(method, "POST");
      JsonNode file = parse(body);
      String name = file.path("name").asText("").strip();
      if (name.isEmpty() || name.length() > 255) throw new Refusal(400, "expected a file name of 1-255 characters");
      long size = file.path("size").asLong(-1);
      if (size <= 0) throw new Refusal(400, "expected the file's size in bytes");
      if (size > uploads.maxBytes()) {
        throw new Refusal(413, "the file is larger than this node takes (backstage_max_bytes " + uploads.maxBytes()
            + ")");
      }
      Uploads.Upload u = uploads.open(caller, name, size, file.path("last_modified").asLong(0));
      json(request, response, callback, 200, status(u));
    } else if (first.equals("uploads") && parts.size() <= 3) {
      Uploads.Upload u = uploads.find(parts.get(1));
      if (u == null) throw new Refusal(404, "no such upload");
      if (!u.pubkey().equals(caller)) throw new Refusal(403, "this upload belongs to another publisher");
      if (parts.size() == 2) {
        upload(request, response, callback, u, body);
      } else {
        need(method, "POST");
        switch (parts.get(2)) {
          case "transcode" -> {
            if (u.received() < u.size()) {
              throw new Refusal(409, "the upload is not complete: " + u.received() + " of " + u.size() + " bytes");
            }
            jobs.start(u);
            json(request, response, callback, 202, status(u));
          }
          case "template" -> json(request, response, callback, 200, template(ready(u), caller, parse(body)));
          case "publish" -> publish(request, response, callback, ready(u), caller, body);
          default -> throw new Refusal(404, "no such backstage call");
        }
      }
    } else {
      throw new Refusal(404, "no such backstage call");
    }
  }

  private void upload(Request request, Response response, Callback callback, Uploads.Upload u, byte[] body)
      throws Refusal, IOException {
    String method = request.getMethod();
    if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
      response.getHeaders().put("Upload-Offset", Long.toString(u.received()));
      response.getHeaders().put("Upload-Length", Long.toString(u.size()));
      json(request, response, callback, 200, status(u));
      return;
    }
    if (HttpMethod.DELETE.is(method)) {
      // The source (and the transcode's work files) go; the published film's blobs stay in the store.
      Jobs.Job job;
      try {
        job = jobs.forget(u.id());
      } catch (IllegalStateException e) {
        throw new Refusal(409, e.getMessage());
      }
      uploads.delete(u);
      if (job != null && job.work != null) FilmMaker.deleteTree(job.work);
      json(request, response, callback, 200, JSON.createObjectNode().put("id", u.id()).put("deleted", true));
      return;
    }
    need(method, "PUT");
    Fields query = Request.extractQueryParameters(request);
    long offset;
    try {
      offset = Long.parseLong(query.getValue("offset"));
    } catch (NumberFormatException e) {
      throw new Refusal(400, "expected ?offset=<bytes already sent>");
    }
    if (body.length == 0) throw new Refusal(400, "an empty chunk");
    switch (uploads.append(u, offset, body)) {
      case Uploads.Appended.Done d -> {
        response.getHeaders().put("Upload-Offset", Long.toString(d.offset()));
        json(request, response, callback, 200, status(u));
      }
      case Uploads.Appended.WrongOffset w -> {
        response.getHeaders().put("Upload-Offset", Long.toString(w.offset()));
        throw new Refusal(409, "the node holds " + w.offset() + " bytes of this upload; send from there");
      }
      case Uploads.Appended.TooLong t -> throw new Refusal(413, "the chunk runs past the file's size (" + t.room()
          + " bytes left)");
    }
  }

  private Jobs.Job ready(Uploads.Upload u) throws Refusal {
    Jobs.Job job = jobs.find(u.id());
    if (job == null || job.phase != Jobs.Phase.READY) {
      throw new Refusal(409, "the film is not ready: " + (job == null ? "not transcoded" : phase(job)));
    }
    return job;
  }

  private ObjectNode template(Jobs.Job job, String caller, JsonNode form) throws Refusal {
    String title = form.path("title").asText("").strip();
    if (title.isEmpty()) throw new Refusal(400, "a title is needed");
    List<String> genres = new ArrayList<>();
    form.path("genres").forEach(g -> genres.add(g.asText()));
    Long price = null;
    JsonNode p = form.path("price");
    if (!p.isMissingNode() && !p.isNull() && !p.asText().isBlank()) {
      // A whole number, as a JSON number or text (a form field): sats per MB, like --price.
      if (!(p.isIntegralNumber() || p.asText().matches("[0-9]{1,15}")) || p.asLong() <= 0) {
        throw new Refusal(400, "price must be a positive whole number of sats per MB");
      }
      price = p.asLong();
    }
    return FilmMaker.template(job.made, job.d, title, form.path("summary").asText(null), genres, price, caller,
        clock.instant().getEpochSecond());
  }

  private void publish(Request request, Response response, Callback callback, Jobs.Job job, String caller,
                       byte[] body) throws Refusal {
    Event event;
    try {
      event = EVENTS.parse(new String(body, StandardCharsets.UTF_8));
    } catch (InvalidEventException e) {
      throw new Refusal(400, "not a signed event: " + e.getMessage());
    }
    if (!event.pubkey().equals(caller)) throw new Refusal(403, "the event is signed by another key than the caller's");
    if (event.kind() != FilmEvent.KIND || !job.d.equals(event.firstTagValue("d"))
        || !job.made.masterSha256().equals(event.firstTagValue("x"))) {
      throw new Refusal(400, "expected this upload's kind " + FilmEvent.KIND + " (d " + job.d + ", x its master)");
    }
    EventGateway.Published r;
    try {
      r = events.publish(event, Origin.client(Request.getRemoteAddr(request), Set.of(caller)))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new Refusal(503, "the relay did not take the event: " + e);
    }
    if (!r.accepted()) throw new Refusal(400, "the relay refused the event: " + r.message());
    String address = FilmEvent.KIND + ":" + caller + ":" + job.d;
    job.published = address;
    json(request, response, callback, 200, JSON.createObjectNode().put("id", event.id()).put("address", address)
        .put("watch", "/films/watch?a=" + URLEncoder.encode(address, StandardCharsets.UTF_8)));
  }

  private ObjectNode status(Uploads.Upload u) throws IOException {
    long received = u.received();
    ObjectNode s = JSON.createObjectNode().put("id", u.id()).put("name", u.name()).put("size", u.size())
        .put("offset", received).put("chunk_bytes", CHUNK_BYTES);
    Jobs.Job job = jobs.find(u.id());
    if (job == null) {
      s.put("state", received < u.size() ? "uploading" : "uploaded");
      return s;
    }
    s.put("state", job.published != null && job.phase == Jobs.Phase.READY ? "published" : phase(job));
    s.put("percent", job.percent);
    if (job.error != null) s.put("error", job.error);
    if (job.d != null) s.put("d", job.d);
    FilmMaker.Made made = job.made;
    if (made != null) {
      s.put("master", made.masterSha256()).put("blobs", made.blobCount()).put("size_bytes", made.sizeBytes())
          .put("duration_s", made.durationSeconds()).put("poster", made.posterPath());
    }
    if (job.published != null) {
      s.put("address", job.published)
          .put("watch", "/films/watch?a=" + URLEncoder.encode(job.published, StandardCharsets.UTF_8));
    }
    return s;
  }

  private static String phase(Jobs.Job job) {
    return job.phase.name().toLowerCase(Locale.ROOT);
  }

  private static void need(String method, String allowed) throws Refusal {
    if (!allowed.equals(method)) throw new Refusal(405, "expected " + allowed);
  }

  private static JsonNode parse(byte[] body) throws Refusal {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || !n.isObject()) throw new Refusal(400, "expected a JSON object");
      return n;
    } catch (IOException e) {
      throw new Refusal(400, "expected a JSON object");
    }
  }

  private static void json(Request request, Response response, Callback callback, int status, JsonNode body) {
    HttpFront.send(request, response, callback, status, Replies.JSON, body.toString());
  }

}
