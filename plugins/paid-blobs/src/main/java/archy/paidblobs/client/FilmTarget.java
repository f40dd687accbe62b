package archy.paidblobs.client;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import archy.nostr.Nip19;
import archy.nostr.Schnorr;
import archy.nostr.RelaySocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole film to download: its server's base URL, its master playlist's sha256 and, when the film was named by
 * its event ({@code naddr1…} or {@code 30082:<pubkey>:<d>}), its price, read from the signed kind 30082 on the
 * node's relay (or the naddr's relay hint).
 *
 * @param satsPerMb the film's price, or null when free or unknown (a master URL names no price)
 * @param sizeBytes the event's {@code size_bytes} (all blobs), or 0 when unknown
 */
public record FilmTarget(String base, String masterSha256, Long satsPerMb, String title, long sizeBytes) {
  private static final Pattern MASTER_URL = Pattern.compile("(https?://[^/]+)(?:/.*)?/([0-9a-f]{64})\\.m3u8");
  private static final Pattern COORDINATE = Pattern.compile("30082:([0-9a-f]{64}):([a-z0-9._-]{1,64})");
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Whether {@code target} names a film rather than one blob. */
  public static boolean isFilm(String target) {
    String t = target.strip();
    return t.startsWith("naddr1") || COORDINATE.matcher(t).matches() || MASTER_URL.matcher(t).matches();
  }

  /**
   * @param node the node to ask for a film named by coordinate (its relay is the ws(s) form of this URL)
   * @throws IllegalArgumentException when the target is not a film, or its event cannot be found
   */
  public static FilmTarget resolve(String target, String node) throws InterruptedException {
    String t = target.strip();
    Matcher url = MASTER_URL.matcher(t);
    if (url.matches()) return new FilmTarget(url.group(1), url.group(2), null, null, 0);
    String pubkey, d;
    String relay = relayOf(node);
    Matcher coordinate = COORDINATE.matcher(t);
    if (coordinate.matches()) {
      pubkey = coordinate.group(1);
      d = coordinate.group(2);
    } else if (Nip19.decode(t) instanceof Nip19.Address a && a.kind() == 30082) {
      pubkey = a.pubkey();
      d = a.identifier();
      if (node == null && !a.relays().isEmpty()) relay = a.relays().get(0);
    } else {
      throw new IllegalArgumentException("not a film: expected naddr1…, 30082:<pubkey>:<d> or a master .m3u8 URL");
    }
    if (relay == null) throw new IllegalArgumentException("a film named by its event needs a node to ask (--node)");
    Event film = fetchEvent(URI.create(relay), pubkey, d);
    String x = film.firstTagValue("x");
    if (!Hex.isLowerHex(x, 64)) throw new IllegalArgumentException("the film event has no valid x tag");
    String price = film.firstTagValue("price");
    Long satsPerMb = price == null ? null : Long.parseLong(price);
    String base = node != null ? node.replaceAll("/+$", "") : httpOf(relay);
    long size = 0;
    try {
      size = Math.max(0, new com.fasterxml.jackson.databind.ObjectMapper().readTree(film.content()).path("size_bytes")
          .asLong(0));
    } catch (Exception unreadable) {
      // the catalog validated it; a relay that sends garbage content only loses the one-payment estimate
    }
    return new FilmTarget(base, x, satsPerMb, film.firstTagValue("title"), size);
  }

  URI masterUrl() {
    return URI.create(base + "/" + masterSha256 + ".m3u8");
  }

  private static String relayOf(String node) {
    if (node == null) return null;
    String n = node.replaceAll("/+$", "");
    return n.startsWith("https://") ? "wss://" + n.substring(8) : n.startsWith("http://") ? "ws://" + n.substring(7) : n;
  }

  private static String httpOf(String relay) {
    String r = relay.replaceAll("/+$", "");
    return r.startsWith("wss://") ? "https://" + r.substring(6) : r.startsWith("ws://") ? "http://" + r.substring(5) : r;
  }

  /** The newest kind 30082 (pubkey, d) on the relay, signature checked. */
  private static Event fetchEvent(URI relay, String pubkey, String d) throws InterruptedException {
    try (RelaySocket socket = RelaySocket.connect(relay.toString())) {
      socket.send("[\"REQ\",\"film\",{\"kinds\":[30082],\"authors\":[\"" + pubkey + "\"],\"#d\":[\"" + d
          + "\"],\"limit\":1}]");
      for (JsonNode m = socket.next(TIMEOUT); ; m = socket.next(TIMEOUT)) {
        String type = m.path(0).asText();
        if (!m.path(1).asText().equals("film")) continue; // an AUTH challenge, a notice
        if (type.equals("EVENT")) return new EventParser(Schnorr.verifier()).parse(m.path(2).toString());
        if (type.equals("EOSE") || type.equals("CLOSED")) {
          throw new IllegalArgumentException("no film 30082:" + pubkey + ":" + d + " on " + relay);
        }
      }
    } catch (InvalidEventException e) {
      throw new IllegalArgumentException("the relay sent an invalid film event: " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the film from " + relay + ": " + e.getMessage());
    }
  }

  List<String> describe() {
    return List.of(title == null ? masterSha256 : title, satsPerMb == null ? "free or unpriced" : satsPerMb + " sat/MB");
  }
}
