package archy.film.publish;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code archy film list | show <d> | unpublish <d>}: the films this key published, as the node's relay has them. */
final class FilmListCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FilmListCommands() {}

  /** The newest 30082 of (key, d), or null. */
  private static JsonNode film(RelayClient relay, Keys keys, String d) throws Exception {
    var found = relay.query("{\"kinds\":[30082],\"authors\":[\"" + keys.publicKeyHex() + "\"],\"#d\":"
        + JSON.writeValueAsString(java.util.List.of(d)) + "}");
    return found.stream().max(java.util.Comparator.comparingLong(e -> e.path("created_at").asLong())).orElse(null);
  }

  private static String tag(JsonNode event, String name) {
    for (JsonNode t : event.path("tags")) if (t.path(0).asText().equals(name)) return t.path(1).asText();
    return null;
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "The films this key published (kind 30082 on the node's relay): d, title, date, master sha256.")
  static final class List implements Callable<Integer> {
    @Mixin NodeOptions node;

    @Override
    public Integer call() throws Exception {
      Keys keys = node.keys();
      try (RelayClient relay = RelayClient.connect(NodeOptions.http(), node.nodeUrl())) {
        var films = relay.query("{\"kinds\":[30082],\"authors\":[\"" + keys.publicKeyHex() + "\"]}");
        for (JsonNode f : films) {
          node.out().println(tag(f, "d") + "\t" + tag(f, "title") + "\t"
              + Instant.ofEpochSecond(f.path("created_at").asLong()) + "\t" + tag(f, "x"));
        }
        node.err().println(films.size() + " film(s) by " + keys.npub());
        return 0;
      } catch (PublishException e) {
        node.err().println("archy film list: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One film of this key: its event, and how the node's catalog lists it (availability).")
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", description = "The film's d.") String d;
    @Mixin NodeOptions node;

    @Override
    public Integer call() throws Exception {
      Keys keys = node.keys();
      HttpClient http = NodeOptions.http();
      try (RelayClient relay = RelayClient.connect(http, node.nodeUrl())) {
        JsonNode event = film(relay, keys, d);
        if (event == null) {
          node.err().println("archy film show: no film " + d + " by " + keys.npub() + " on " + node.nodeUrl());
          return 1;
        }
        node.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event));
        JsonNode listed = catalogEntry(http, node.nodeUrl(), keys.publicKeyHex(), d, tag(event, "title"));
        node.out().println(listed == null ? "catalog: not listed (is this key a trusted publisher of the node?)"
            : "catalog: listed; availability " + listed.path("availability"));
        return 0;
      } catch (PublishException e) {
        node.err().println("archy film show: " + e.getMessage());
        return 1;
      }
    }
  }

  /** The catalog entry of (pubkey, d), found by a title search; null when the node does not list it. */
  static JsonNode catalogEntry(HttpClient http, URI node, String pubkey, String d, String title) throws Exception {
    String cursor = null;
    do {
      String q = "/api/film-catalog?limit=100&q=" + URLEncoder.encode(title, StandardCharsets.UTF_8)
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve(q)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return null;
      JsonNode page = JSON.readTree(r.body());
      for (JsonNode f : page.path("films")) {
        if (f.path("pubkey").asText().equals(pubkey) && f.path("d").asText().equals(d)) return f;
      }
      cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
    } while (cursor != null);
    return null;
  }

  @Command(name = "unpublish", mixinStandardHelpOptions = true,
      description = "Withdraw one film of this key: a NIP-09 deletion (kind 5) of its address and current version. "
          + "The blobs stay on the node (delete them with BUD-12 if wanted).")
  static final class Unpublish implements Callable<Integer> {
    @Parameters(index = "0", description = "The film's d.") String d;
    @Mixin NodeOptions node;

    @Override
    public Integer call() throws Exception {
      Keys keys = node.keys();
      try (RelayClient relay = RelayClient.connect(NodeOptions.http(), node.nodeUrl())) {
        JsonNode event = film(relay, keys, d);
        if (event == null) {
          node.err().println("archy film unpublish: no film " + d + " by " + keys.npub() + " on " + node.nodeUrl());
          return 1;
        }
        Event deletion = EventSigner.sign(keys, Instant.now().getEpochSecond(), 5, java.util.List.of(
            java.util.List.of("a", "30082:" + keys.publicKeyHex() + ":" + d),
            java.util.List.of("e", event.path("id").asText()), java.util.List.of("k", "30082")), "unpublished");
        relay.publish(deletion);
        node.err().println("unpublished film " + d + " (deletion " + deletion.id() + ")");
        return 0;
      } catch (PublishException e) {
        node.err().println("archy film unpublish: " + e.getMessage());
        return 1;
      }
    }
  }
}
