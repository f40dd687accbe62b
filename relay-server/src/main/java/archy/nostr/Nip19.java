package archy.nostr;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NIP-19 bech32 entities, for people to read and paste; events and filters always carry hex. The bare
 * forms (npub, nsec, note) hold 32 bytes; the TLV forms (nprofile, nevent, naddr) hold type-length-value
 * records, of which unknown types are skipped as NIP-19 asks.
 */
public final class Nip19 {
  /** NIP-19 says entities SHOULD stay within 5000 characters; longer input is refused before decoding. */
  public static final int MAX_LENGTH = 5000;

  private static final int SPECIAL = 0, RELAY = 1, AUTHOR = 2, KIND = 3;

  private Nip19() {}

  public sealed interface Entity permits Pubkey, SecretKey, Note, Profile, EventPointer, Address {}

  /** {@code npub}: a public key. */
  public record Pubkey(String hex) implements Entity {
    public Pubkey {
      requireHex32(hex, "public key");
    }
  }

  /** {@code nsec}: a secret key. */
  public record SecretKey(String hex) implements Entity {
    public SecretKey {
      requireHex32(hex, "secret key");
    }

    @Override
    public String toString() {
      return "SecretKey[hidden]";
    }
  }

  /** {@code note}: an event id. */
  public record Note(String id) implements Entity {
    public Note {
      requireHex32(id, "event id");
    }
  }

  /** {@code nprofile}: a public key and relays where its events may be found. */
  public record Profile(String pubkey, List<String> relays) implements Entity {
    public Profile {
      requireHex32(pubkey, "public key");
      relays = List.copyOf(relays);
    }
  }

  /** {@code nevent}: an event id with optional hints; {@code author} and {@code kind} are null when absent. */
  public record EventPointer(String id, List<String> relays, String author, Integer kind) implements Entity {
    public EventPointer {
      requireHex32(id, "event id");
      relays = List.copyOf(relays);
      if (author != null) requireHex32(author, "author");
    }
  }

  /** {@code naddr}: the coordinate of an addressable or replaceable event ({@code identifier} "" for the latter). */
  public record Address(String identifier, String pubkey, int kind, List<String> relays) implements Entity {
    public Address {
      if (identifier == null) throw new IllegalArgumentException("identifier must not be null");
      requireHex32(pubkey, "public key");
      relays = List.copyOf(relays);
    }
  }

  public static String encode(Entity entity) {
    return switch (entity) {
      case Pubkey p -> Bech32.encode("npub", Hex.decode(p.hex()));
      case SecretKey s -> Bech32.encode("nsec", Hex.decode(s.hex()));
      case Note n -> Bech32.encode("note", Hex.decode(n.id()));
      case Profile p -> {
        Tlv tlv = new Tlv().add(SPECIAL, Hex.decode(p.pubkey())).relays(p.relays());
        yield Bech32.encode("nprofile", tlv.bytes());
      }
      case EventPointer e -> {
        Tlv tlv = new Tlv().add(SPECIAL, Hex.decode(e.id())).relays(e.relays());
        if (e.author() != null) tlv.add(AUTHOR, Hex.decode(e.author()));
        if (e.kind() != null) tlv.add(KIND, kindBytes(e.kind()));
        yield Bech32.encode("nevent", tlv.bytes());
      }
      case Address a -> {
        Tlv tlv = new Tlv().add(SPECIAL, a.identifier().getBytes(StandardCharsets.UTF_8)).relays(a.relays())
            .add(AUTHOR, Hex.decode(a.pubkey())).add(KIND, kindBytes(a.kind()));
        yield Bech32.encode("naddr", tlv.bytes());
      }
    };
  }

  /** Decodes any NIP-19 entity; the IllegalArgumentException's message says what is wrong with the input. */
  public static Entity decode(String bech32) {
    if (bech32.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("NIP-19 string is longer than " + MAX_LENGTH + " characters");
    }
    Bech32.Decoded d = Bech32.decode(bech32);
    byte[] data = d.data();
    return switch (d.hrp()) {
      case "npub" -> new Pubkey(hex32(data, "npub"));
      case "nsec" -> new SecretKey(hex32(data, "nsec"));
      case "note" -> new Note(hex32(data, "note"));
      case "nprofile" -> {
        Fields f = Fields.read(data, "nprofile");
        yield new Profile(hex32(f.require(f.special, "public key"), "nprofile public key"), f.relays);
      }
      case "nevent" -> {
        Fields f = Fields.read(data, "nevent");
        yield new EventPointer(hex32(f.require(f.special, "event id"), "nevent id"), f.relays,
            f.author == null ? null : hex32(f.author, "nevent author"), f.kind == null ? null : kind(f.kind, "nevent"));
      }
      case "naddr" -> {
        Fields f = Fields.read(data, "naddr");
        String identifier = new String(f.require(f.special, "identifier"), StandardCharsets.UTF_8);
        yield new Address(identifier, hex32(f.require(f.author, "author"), "naddr author"),
            kind(f.require(f.kind, "kind"), "naddr"), f.relays);
      }
      default -> throw new IllegalArgumentException("unknown NIP-19 prefix '" + d.hrp() + "'");
    };
  }

  private static String hex32(byte[] bytes, String what) {
    if (bytes.length != 32) throw new IllegalArgumentException(what + " must be 32 bytes, not " + bytes.length);
    return Hex.encode(bytes);
  }

  private static int kind(byte[] bytes, String prefix) {
    if (bytes.length != 4) throw new IllegalArgumentException(prefix + " kind must be 4 bytes, not " + bytes.length);
    int kind = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    if (kind < 0) {
      throw new IllegalArgumentException(prefix + " kind " + Integer.toUnsignedString(kind) + " is out of range");
    }
    return kind;
  }

  private static byte[] kindBytes(int kind) {
    if (kind < 0) throw new IllegalArgumentException("kind must not be negative");
    return new byte[] {(byte) (kind >>> 24), (byte) (kind >>> 16), (byte) (kind >>> 8), (byte) kind};
  }

  private static void requireHex32(String hex, String what) {
    if (!Hex.isLowerHex(hex, 64)) throw new IllegalArgumentException(what + " must be 64 lowercase hex characters");
  }

  /** The TLV records NIP-19 defines, first occurrence winning; relays may repeat. */
  private static final class Fields {
    final String prefix;
    final List<String> relays = new ArrayList<>();
    byte[] special, author, kind;

    private Fields(String prefix) {
      this.prefix = prefix;
    }

    static Fields read(byte[] data, String prefix) {
      Fields f = new Fields(prefix);
      int i = 0;
      while (i < data.length) {
        if (i + 2 > data.length) throw new IllegalArgumentException(prefix + " has a truncated TLV record");
        int type = data[i] & 0xff, length = data[i + 1] & 0xff;
        if (i + 2 + length > data.length) throw new IllegalArgumentException(prefix + " has a truncated TLV record");
        byte[] value = Arrays.copyOfRange(data, i + 2, i + 2 + length);
        switch (type) {
          case SPECIAL -> f.special = f.special == null ? value : f.special;
          case RELAY -> f.relays.add(new String(value, StandardCharsets.UTF_8));
          case AUTHOR -> f.author = f.author == null ? value : f.author;
          case KIND -> f.kind = f.kind == null ? value : f.kind;
          default -> { } // NIP-19: ignore types we do not know
        }
        i += 2 + length;
      }
      return f;
    }

    byte[] require(byte[] value, String what) {
      if (value == null) throw new IllegalArgumentException(prefix + " is missing its " + what);
      return value;
    }
  }

  private static final class Tlv {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Tlv add(int type, byte[] value) {
      if (value.length > 255) throw new IllegalArgumentException("a NIP-19 TLV value is limited to 255 bytes");
      out.write(type);
      out.write(value.length);
      out.writeBytes(value);
      return this;
    }

    Tlv relays(List<String> relays) {
      for (String relay : relays) add(RELAY, relay.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
