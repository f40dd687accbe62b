package archy.film;

import static archy.film.CatalogNode.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.Films.Creator;
import archy.film.Films.Film;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of PROTOCOLS.md §2.1–§2.3, each with its OK message, through a real relay. */
class FilmValidationTest {
  private static final Keys PUBLISHER = Keys.generate();
  private static final Keys PEER = Keys.generate();
  private static final String HEX = "ab".repeat(32);
  @TempDir static Path dir;
  private static CatalogNode node;

  @BeforeAll
  static void start() throws Exception {
    node = CatalogNode.start(dir, "trusted_publishers = " + list(PUBLISHER.npub()) + "\nfederation_peers = "
        + list(PEER.publicKeyHex()) + "\nmax_film_event_bytes = 6000\n", "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Film film() {
    return Films.film(PUBLISHER, "film-" + System.nanoTime());
  }

  private static Arguments invalid(String message, Supplier<Event> event) {
    return Arguments.of(message, event);
  }

  static Stream<Arguments> invalidFilms() {
    return Stream.of(
        invalid("invalid: d tag must be 1-64 characters of a-z 0-9 . _ -",
            () -> film().tags(t -> t.removeIf(tag -> tag.get(0).equals("d"))).sign()),
        invalid("invalid: d tag must be 1-64 characters of a-z 0-9 . _ -", () -> Films.film(PUBLISHER, "Upper").sign()),
        invalid("invalid: d tag must be 1-64 characters of a-z 0-9 . _ -", () -> Films.film(PUBLISHER, "a".repeat(65)).sign()),
        invalid("invalid: d tag must be 1-64 characters of a-z 0-9 . _ -", () -> Films.film(PUBLISHER, "a b").sign()),
        invalid("invalid: title tag is required", () -> film().tags(t -> t.removeIf(tag -> tag.get(0).equals("title"))).sign()),
        invalid("invalid: x tag must be the 64-character lowercase hex sha256 of the master playlist",
            () -> film().tags(t -> t.removeIf(tag -> tag.get(0).equals("x"))).sign()),
        invalid("invalid: x tag must be the 64-character lowercase hex sha256 of the master playlist",
            () -> film().tags(t -> replace(t, "x", List.of("x", HEX.toUpperCase()))).sign()),
        invalid("invalid: t tags must be non-empty and lowercase", () -> film().genres("Drama").sign()),
        invalid("invalid: t tags must be non-empty and lowercase", () -> film().genres("").sign()),
        invalid("invalid: published_at must be unix seconds",
            () -> film().tags(t -> t.add(List.of("published_at", "yesterday"))).sign()),
        invalid("invalid: content is not valid JSON", () -> EventSigner.sign(PUBLISHER, now(), 30082,
            List.of(List.of("d", "x1"), List.of("title", "T"), List.of("x", HEX)), "{not json")),
        invalid("invalid: content must be a JSON object", () -> EventSigner.sign(PUBLISHER, now(), 30082,
            List.of(List.of("d", "x2"), List.of("title", "T"), List.of("x", HEX)), "[1, 2]")),
        invalid("invalid: content.title must be a string", () -> film().content(c -> c.remove("title")).sign()),
        invalid("invalid: title tag and content.title differ", () -> film().content(c -> c.put("title", "Other")).sign()),
        invalid("invalid: content.duration_s must be a positive integer", () -> film().content(c -> c.put("duration_s", 0)).sign()),
        invalid("invalid: content.duration_s must be a positive integer", () -> film().content(c -> c.put("duration_s", -5)).sign()),
        invalid("invalid: content.duration_s must be a positive integer", () -> film().content(c -> c.put("duration_s", 1.5)).sign()),
        invalid("invalid: content.duration_s must be a positive integer", () -> film().content(c -> c.put("duration_s", "90")).sign()),
        invalid("invalid: content.duration_s must be a positive integer", () -> film().content(c -> c.remove("duration_s")).sign()),
        invalid("invalid: content.playlist is required", () -> film().content(c -> c.remove("playlist")).sign()),
        invalid("invalid: content.playlist must be blake3:<64 lowercase hex>",
            () -> film().content(c -> c.put("playlist", "sha256:" + HEX)).sign()),
        invalid("invalid: content.poster must be blake3:<64 lowercase hex>",
            () -> film().content(c -> c.put("poster", "blake3:" + HEX.substring(2))).sign()),
        invalid("invalid: content.segments must be blake3:<64 lowercase hex>",
            () -> film().content(c -> c.withArray("segments").add("blake3:" + HEX.toUpperCase())).sign()),
        invalid("invalid: content.segments must be an array", () -> film().content(c -> c.put("segments", "blake3:" + HEX)).sign()),
        invalid("invalid: content.segments must hold blake3:<hex> strings", () -> film().content(c -> c.withArray("segments").add(7)).sign()),
        invalid("invalid: content.size_bytes must be a non-negative integer", () -> film().content(c -> c.put("size_bytes", -1)).sign()),
        invalid("invalid: content.summary must be a string", () -> film().content(c -> c.put("summary", 3)).sign()),
        invalid("invalid: content.enc must be an object with a scheme", () -> film().content(c -> c.put("enc", "aes")).sign()),
        invalid("invalid: price tag and content.monetized disagree",
            () -> film().tags(t -> t.add(List.of("price", "2", "sat"))).sign()),
        invalid("invalid: price tag and content.monetized disagree",
            () -> film().content(c -> c.putObject("monetized").put("service", "content-download").put("sats_per_mb", 2)).sign()),
        invalid("invalid: price tag and content.monetized disagree",
            () -> film().price(2).content(c -> c.with("monetized").put("sats_per_mb", 3)).sign()),
        invalid("invalid: price tag must be [\"price\", \"<sats per MB>\", \"sat\"]",
            () -> film().price(2).tags(t -> replace(t, "price", List.of("price", "2", "msat"))).sign()),
        invalid("invalid: price must be a positive integer", () -> film().price(2).tags(t -> replace(t, "price", List.of("price", "0", "sat"))).sign()),
        invalid("invalid: more than one price tag", () -> film().price(2).tags(t -> t.add(List.of("price", "2", "sat"))).sign()),
        invalid("invalid: content.monetized must be {\"service\": \"…\", \"sats_per_mb\": <integer>}",
            () -> film().price(2).content(c -> c.put("monetized", true)).sign()),
        invalid("invalid: bad creator signature", () -> {
          Film f = film().creator(Creator.generate(), true);
          return f.tags(t -> replace(t, "creator", List.of("creator", f.creator.did().did(), "00".repeat(64)))).sign();
        }),
        invalid("invalid: bad creator signature", () -> {
          // Signed by one key, claimed for another.
          Film f = film().creator(Creator.generate(), true);
          String otherDid = Creator.generate().did().did();
          return f.content(c -> c.put("creator_did", otherDid)).tags(t -> {
            List<String> tag = find(t, "creator");
            replace(t, "creator", List.of("creator", otherDid, tag.get(2)));
          }).sign();
        }),
        invalid("invalid: bad creator signature", () -> {
          // A valid signature over another title.
          Film f = film().creator(Creator.generate(), true);
          Event original = f.sign();
          String sig = find(original.tags(), "creator").get(2);
          return f.title("Renamed").tags(t -> replace(t, "creator", List.of("creator", f.creator.did().did(), sig))).sign();
        }),
        invalid("invalid: creator tag and content.creator_did differ",
            () -> film().creator(Creator.generate(), true).content(c -> c.remove("creator_did")).sign()),
        invalid("invalid: creator tag and content.creator_did differ",
            () -> film().content(c -> c.put("creator_did", Creator.generate().did().did())).sign()),
        invalid("invalid: creator is not an Ed25519 did:key: not an Ed25519 did:key (multicodec 0xed01 and 32 key bytes)", () -> {
          String secp = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
          return film().content(c -> c.put("creator_did", secp)).tags(t -> t.add(List.of("creator", secp))).sign();
        }),
        invalid("invalid: more than one creator tag", () -> {
          Film f = film().creator(Creator.generate(), false);
          return f.tags(t -> t.add(List.of("creator", f.creator.did().did()))).sign();
        }),
        invalid("invalid: film event is larger than 6000 bytes", () -> {
          Film f = film();
          f.summary = "s".repeat(7000);
          return f.sign();
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFilms")
  void refusesInvalidFilms(String message, Supplier<Event> event) {
    assertEquals(message, node.publish(event.get()));
  }

  @Test
  void acceptsValidFilmsWithAndWithoutCreatorSignature() throws Exception {
    Film signed = film().creator(Creator.generate(), true).genres("drama", "short").price(3).publishedAt(1_700_000_000);
    Film unsigned = film().creator(Creator.generate(), false);
    Film anonymous = film();
    anonymous.poster = false;
    node.accept(signed.sign());
    node.accept(unsigned.sign());
    node.accept(anonymous.sign());
    var page = node.awaitCatalog("?limit=100", p -> CatalogNode.ds(p).containsAll(List.of(signed.d, unsigned.d, anonymous.d)));
    for (var f : page.path("films")) {
      if (f.path("d").asText().equals(signed.d)) assertTrue(f.path("creator_verified").asBoolean(), "signed");
      if (f.path("d").asText().equals(unsigned.d)) assertEquals(false, f.path("creator_verified").asBoolean(), "unsigned");
      if (f.path("d").asText().equals(anonymous.d)) assertEquals(false, f.path("creator_verified").asBoolean(), "no creator");
    }
  }

  static Stream<Arguments> invalidAdverts() {
    long in1h = now() + 3600;
    String blob = Films.blake3(new byte[] {1, 2, 3});
    return Stream.of(
        invalid("invalid: advert d tag must be a 64-character lowercase hex BLAKE3 hash",
            () -> Films.advert(PEER, "not-a-hash", null, in1h, List.of())),
        invalid("invalid: advert a tag must be 30082:<publisher pubkey>:<film d>",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("a", "30082:" + PUBLISHER.publicKeyHex())))),
        invalid("invalid: advert a tag must be 30082:<publisher pubkey>:<film d>",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("a", "30081:" + PUBLISHER.publicKeyHex() + ":film")))),
        invalid("invalid: advert x tag must be a 64-character lowercase hex sha256",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("x", "1234")))),
        invalid("invalid: advert needs at least one https or quic endpoint", () -> EventSigner.sign(PEER, now(), 30081,
            List.of(List.of("d", blob), List.of("expiration", Long.toString(in1h))), "")),
        invalid("invalid: quic endpoint must be [\"endpoint\", \"quic\", \"<host:port>\", \"<alpn>\"]",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("endpoint", "quic", "seeder.example", "archy/paid-blobs/1")))),
        invalid("invalid: quic endpoint must be [\"endpoint\", \"quic\", \"<host:port>\", \"<alpn>\"]",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("endpoint", "quic", "seeder.example:7778")))),
        invalid("invalid: https endpoint must be an https:// base URL",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("endpoint", "https", "http://seeder.example")))),
        invalid("invalid: https endpoint must be an https:// base URL",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("endpoint", "https", "not a url")))),
        invalid("invalid: advert needs an expiration tag", () -> EventSigner.sign(PEER, now(), 30081,
            List.of(List.of("d", blob), List.of("endpoint", "https", "https://seeder.example")), "")),
        invalid("invalid: advert expiration is more than 604800 seconds ahead",
            () -> Films.advert(PEER, blob, null, now() + 8 * 86_400, List.of())),
        invalid("invalid: price must be a positive integer",
            () -> Films.advert(PEER, blob, null, in1h, List.of(List.of("price", "free", "sat")))),
        invalid("invalid: advert content must be empty", () -> EventSigner.sign(PEER, now(), 30081, List.of(List.of("d", blob),
            List.of("endpoint", "https", "https://seeder.example"), List.of("expiration", Long.toString(in1h))), "hello")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidAdverts")
  void refusesInvalidAdverts(String message, Supplier<Event> event) {
    assertEquals(message, node.publish(event.get()));
  }

  @Test
  void acceptsValidAdverts() {
    String blob = Films.blake3(new byte[] {4, 5, 6});
    node.accept(Films.advert(PEER, blob, null, now() + 3600, List.of(List.of("x", Films.sha256(new byte[] {4, 5, 6})),
        List.of("endpoint", "quic", "[::1]:7778", "archy/paid-blobs/1"), List.of("price", "2", "sat"))));
    node.accept(Films.advert(PUBLISHER, blob, film(), now() + 6 * 86_400, List.of()));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static List<String> find(List<List<String>> tags, String name) {
    return tags.stream().filter(t -> t.get(0).equals(name)).findFirst().orElseThrow();
  }

  private static void replace(List<List<String>> tags, String name, List<String> with) {
    List<List<String>> copy = new ArrayList<>(tags);
    tags.clear();
    for (List<String> t : copy) tags.add(t.get(0).equals(name) ? with : t);
  }
}
