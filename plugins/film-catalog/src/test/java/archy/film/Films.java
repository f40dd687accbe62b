package archy.film;

import archy.film.did.DidKey;
import archy.film.event.CreatorStatement;
import archy.hash.Blake3;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Hex;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Builds real, signed film (30082) and advert (30081) events for tests. The blobs are small byte arrays made
 * up per film, hashed with our BLAKE3 and the JDK's SHA-256, so every hash is the hash of real bytes.
 */
final class Films {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Films() {}

  static String blake3(byte[] bytes) {
    return Blake3.hex(bytes);
  }

  static String sha256(byte[] bytes) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A creator's Ed25519 key. */
  record Creator(Ed25519PrivateKeyParameters key) {
    static Creator generate() {
      return new Creator(new Ed25519PrivateKeyParameters(RANDOM));
    }

    DidKey did() {
      return DidKey.of(key.generatePublicKey().getEncoded());
    }

    String sign(String text) {
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, key);
      byte[] digest = CreatorStatement.digest(text);
      signer.update(digest, 0, digest.length);
      return Hex.encode(signer.generateSignature());
    }
  }

  static Film film(Keys publisher, String d) {
    return new Film(publisher, d);
  }

  /** A film under construction; {@link #sign()} makes the event. */
  static final class Film {
    final Keys publisher;
    final String d;
    String title;
    String summary = "A short film made for tests.";
    long duration = 90;
    long createdAt = System.currentTimeMillis() / 1000;
    List<String> genres = new ArrayList<>();
    Long price;
    Long publishedAt;
    Creator creator;
    boolean signCreator = true;
    boolean encrypted;
    boolean poster = true;
    int segmentCount = 3;
    final byte[] playlistBytes;
    final byte[] posterBytes;
    final List<byte[]> segmentBytes = new ArrayList<>();
    Consumer<ObjectNode> editContent = c -> { };
    Consumer<List<List<String>>> editTags = t -> { };

    private Film(Keys publisher, String d) {
      this.publisher = publisher;
      this.d = d;
      this.title = "Film " + d;
      String seed = publisher.publicKeyHex() + "/" + d + "/" + RANDOM.nextLong();
      this.playlistBytes = ("#EXTM3U\n# playlist " + seed + "\n").getBytes(StandardCharsets.UTF_8);
      this.posterBytes = ("poster " + seed).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 8; i++) segmentBytes.add(("segment " + i + " " + seed).getBytes(StandardCharsets.UTF_8));
    }

    Film title(String t) { title = t; return this; }
    Film genres(String... g) { genres = new ArrayList<>(List.of(g)); return this; }
    Film createdAt(long t) { createdAt = t; return this; }
    Film price(long satsPerMb) { price = satsPerMb; return this; }
    Film creator(Creator c, boolean sign) { creator = c; signCreator = sign; return this; }
    Film encrypted() { encrypted = true; return this; }
    Film segments(int n) { segmentCount = n; return this; }
    Film publishedAt(long t) { publishedAt = t; return this; }
    Film content(Consumer<ObjectNode> edit) { editContent = edit; return this; }
    Film tags(Consumer<List<List<String>>> edit) { editTags = edit; return this; }

    String masterSha256() { return sha256(playlistBytes); }
    String playlistBlake3() { return blake3(playlistBytes); }
    String posterBlake3() { return blake3(posterBytes); }
    String segmentBlake3(int i) { return blake3(segmentBytes.get(i)); }

    List<String> segmentRefs() {
      List<String> refs = new ArrayList<>();
      for (int i = 0; i < segmentCount; i++) refs.add("blake3:" + segmentBlake3(i));
      return refs;
    }

    Event sign() {
      ObjectNode content = JSON.createObjectNode();
      content.put("title", title);
      content.put("summary", summary);
      content.put("duration_s", duration);
      if (poster) content.put("poster", "blake3:" + posterBlake3());
      content.put("playlist", "blake3:" + playlistBlake3());
      segmentRefs().forEach(content.putArray("segments")::add);
      content.put("size_bytes", 1234);
      if (encrypted) content.putObject("enc").put("scheme", "aes-128").put("key_ref", "nip98");
      if (price != null) content.putObject("monetized").put("service", "content-download").put("sats_per_mb", price);
      List<List<String>> tags = new ArrayList<>();
      tags.add(List.of("d", d));
      tags.add(List.of("title", title));
      tags.add(List.of("x", masterSha256()));
      for (String g : genres) tags.add(List.of("t", g));
      if (publishedAt != null) tags.add(List.of("published_at", Long.toString(publishedAt)));
      if (price != null) tags.add(List.of("price", Long.toString(price), "sat"));
      if (creator != null) {
        String did = creator.did().did();
        content.put("creator_did", did);
        String text = CreatorStatement.text(d, title, duration, poster ? "blake3:" + posterBlake3() : null,
            "blake3:" + playlistBlake3(), segmentRefs());
        tags.add(signCreator ? List.of("creator", did, creator.sign(text)) : List.of("creator", did));
      }
      editContent.accept(content);
      editTags.accept(tags);
      return EventSigner.sign(publisher, createdAt, 30082, tags, content.toString());
    }
  }

  /** A seed advert for a blob, or for a whole film when {@code film} is given. */
  static Event advert(Keys seeder, String blake3, Film film, long expiresAt, List<List<String>> extraTags) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", blake3));
    if (film != null) tags.add(List.of("a", "30082:" + film.publisher.publicKeyHex() + ":" + film.d));
    tags.add(List.of("endpoint", "https", "https://seeder.example/blobs"));
    tags.add(List.of("expiration", Long.toString(expiresAt)));
    tags.addAll(extraTags);
    return EventSigner.sign(seeder, System.currentTimeMillis() / 1000, 30081, tags, "");
  }

  /** A film root's kind 30000 trust list naming these publishers. */
  static Event trustList(Keys root, long createdAt, String... publishers) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", "archy-film-publishers"));
    for (String p : publishers) tags.add(List.of("p", p));
    return EventSigner.sign(root, createdAt, 30000, tags, "");
  }
}
