package archy.ecash.request;

import archy.nostr.Bech32;
import archy.nostr.Hex;
import archy.nostr.Nip19;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * NUT-26 {@code creqb1…}: the request as TLV records (1-byte tag, 2-byte big-endian length, value) under bech32m.
 * Nostr targets travel as the raw 32-byte key with nprofile relays as {@code ["r", url]} tag tuples, so a decoded
 * target is an npub when there are no relays and an nprofile when there are. Tags are written in ascending order,
 * transport tags before relay tags, which reproduces the published vectors.
 */
final class CreqB {
  static final String HRP = "creqb";
  private static final int ID = 1, AMOUNT = 2, UNIT = 3, SINGLE_USE = 4, MINT = 5, DESCRIPTION = 6, TRANSPORT = 7, NUT10 = 8;
  private static final int SUB_KIND = 1, SUB_TARGET = 2, SUB_TAG = 3;
  private static final int NOSTR = 0, HTTP_POST = 1;
  private static final List<String> NUT10_KINDS = List.of(Nut10Option.P2PK, Nut10Option.HTLC); // index = wire kind
  private static final String RELAY_TAG = "r";

  private CreqB() {}

  static String encode(PaymentRequest r) {
    Tlv out = new Tlv();
    if (r.id() != null) out.put(ID, utf8(r.id()));
    if (r.amount() != null) out.put(AMOUNT, ByteBuffer.allocate(8).putLong(r.amount()).array());
    if (r.unit() != null) out.put(UNIT, r.unit().equals("sat") ? new byte[] {0} : utf8(r.unit()));
    if (r.singleUse() != null) out.put(SINGLE_USE, new byte[] {(byte) (r.singleUse() ? 1 : 0)});
    if (r.mints() != null) for (String mint : r.mints()) out.put(MINT, utf8(mint));
    if (r.description() != null) out.put(DESCRIPTION, utf8(r.description()));
    if (r.transports() != null) for (Transport t : r.transports()) out.put(TRANSPORT, transport(t));
    if (r.nut10() != null) out.put(NUT10, nut10(r.nut10()));
    return Bech32.encode(Bech32.Variant.BECH32M, HRP, out.bytes()).toUpperCase(Locale.ROOT);
  }

  private static byte[] transport(Transport t) {
    Tlv sub = new Tlv();
    List<List<String>> tags = t.tags() == null ? new ArrayList<>() : new ArrayList<>(t.tags());
    switch (t.type()) {
      case Transport.NOSTR -> {
        sub.put(SUB_KIND, new byte[] {NOSTR});
        Nip19.Entity entity = Nip19.decode(t.target());
        switch (entity) {
          case Nip19.Pubkey p -> sub.put(SUB_TARGET, Hex.decode(p.hex()));
          case Nip19.Profile p -> {
            sub.put(SUB_TARGET, Hex.decode(p.pubkey()));
            for (String relay : p.relays()) tags.add(List.of(RELAY_TAG, relay));
          }
          default -> throw new IllegalArgumentException("a nostr transport target must be an npub or nprofile");
        }
      }
      case Transport.POST -> {
        sub.put(SUB_KIND, new byte[] {HTTP_POST});
        sub.put(SUB_TARGET, utf8(t.target()));
      }
      default -> throw new IllegalArgumentException("transport type " + t.type() + " has no NUT-26 encoding");
    }
    for (List<String> tag : tags) sub.put(SUB_TAG, tagTuple(tag));
    return sub.bytes();
  }

  private static byte[] nut10(Nut10Option n) {
    int kind = NUT10_KINDS.indexOf(n.kind());
    if (kind < 0) throw new IllegalArgumentException("NUT-10 kind " + n.kind() + " has no NUT-26 encoding");
    Tlv sub = new Tlv();
    sub.put(SUB_KIND, new byte[] {(byte) kind});
    sub.put(SUB_TARGET, utf8(n.data()));
    if (n.tags() != null) for (List<String> tag : n.tags()) sub.put(SUB_TAG, tagTuple(tag));
    return sub.bytes();
  }

  /** Key length (1 byte), key, then each value as length (1 byte) and bytes. */
  private static byte[] tagTuple(List<String> tag) {
    if (tag.isEmpty()) throw new IllegalArgumentException("a tag needs a key");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : tag) {
      byte[] b = utf8(part);
      if (b.length > 255) throw new IllegalArgumentException("a tag element is longer than 255 bytes");
      out.write(b.length);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  static PaymentRequest decode(String s) throws InvalidPaymentRequestException {
    Bech32.Decoded d;
    try {
      d = Bech32.decode(Bech32.Variant.BECH32M, s);
    } catch (IllegalArgumentException e) {
      throw new InvalidPaymentRequestException("creqB: " + e.getMessage());
    }
    if (!d.hrp().equals(HRP)) throw new InvalidPaymentRequestException("creqB has the wrong prefix " + d.hrp());
    Fields f = new Fields();
    for (Record rec : records(d.data())) {
      switch (rec.tag()) {
        case ID -> f.id = once(f.id, text(rec.value()), "id");
        case AMOUNT -> f.amount = once(f.amount, amount(rec.value()), "amount");
        case UNIT -> f.unit = once(f.unit, unit(rec.value()), "unit");
        case SINGLE_USE -> f.singleUse = once(f.singleUse, flag(rec.value()), "single_use");
        case MINT -> f.mints.add(text(rec.value()));
        case DESCRIPTION -> f.description = once(f.description, text(rec.value()), "description");
        case TRANSPORT -> {
          Transport t = transport(rec.value());
          if (t != null) f.transports.add(t);
        }
        case NUT10 -> f.nut10 = once(f.nut10, nut10(rec.value()), "nut10");
        default -> { } // NUT-26: unknown tags MUST be ignored
      }
    }
    try {
      return new PaymentRequest(f.id, f.amount, f.unit, f.singleUse, f.mints.isEmpty() ? null : f.mints, f.description,
          f.transports.isEmpty() ? null : f.transports, f.nut10);
    } catch (IllegalArgumentException e) {
      throw new InvalidPaymentRequestException(e.getMessage());
    }
  }

  /** A transport, or null for a kind this code does not know (it could not be used anyway). */
  private static Transport transport(byte[] value) throws InvalidPaymentRequestException {
    Integer kind = null;
    byte[] target = null;
    List<List<String>> tags = new ArrayList<>();
    for (Record rec : records(value)) {
      switch (rec.tag()) {
        case SUB_KIND -> kind = once(kind, flagByte(rec.value()), "transport kind");
        case SUB_TARGET -> target = once(target, rec.value(), "transport target");
        case SUB_TAG -> tags.add(tagTuple(rec.value()));
        default -> { }
      }
    }
    if (kind == null || target == null) throw new InvalidPaymentRequestException("creqB transport lacks kind or target");
    return switch (kind) {
      case NOSTR -> nostr(target, tags);
      case HTTP_POST -> new Transport(Transport.POST, text(target), tags.isEmpty() ? null : tags);
      default -> null;
    };
  }

  /** Relay tags fold back into an nprofile; the other tags stay transport tags. */
  private static Transport nostr(byte[] target, List<List<String>> tags) throws InvalidPaymentRequestException {
    if (target.length != 32) throw new InvalidPaymentRequestException("creqB nostr target must be 32 bytes");
    List<String> relays = new ArrayList<>();
    List<List<String>> rest = new ArrayList<>();
    for (List<String> tag : tags) {
      if (tag.size() == 2 && tag.get(0).equals(RELAY_TAG)) relays.add(tag.get(1));
      else rest.add(tag);
    }
    String pubkey = Hex.encode(target);
    Nip19.Entity entity = relays.isEmpty() ? new Nip19.Pubkey(pubkey) : new Nip19.Profile(pubkey, relays);
    return new Transport(Transport.NOSTR, Nip19.encode(entity), rest.isEmpty() ? null : rest);
  }

  private static Nut10Option nut10(byte[] value) throws InvalidPaymentRequestException {
    Integer kind = null;
    byte[] data = null;
    List<List<String>> tags = new ArrayList<>();
    for (Record rec : records(value)) {
      switch (rec.tag()) {
        case SUB_KIND -> kind = once(kind, flagByte(rec.value()), "nut10 kind");
        case SUB_TARGET -> data = once(data, rec.value(), "nut10 data");
        case SUB_TAG -> tags.add(tagTuple(rec.value()));
        default -> { }
      }
    }
    if (kind == null || data == null) throw new InvalidPaymentRequestException("creqB nut10 lacks kind or data");
    if (kind >= NUT10_KINDS.size()) throw new InvalidPaymentRequestException("creqB nut10 kind " + kind + " is not supported");
    return new Nut10Option(NUT10_KINDS.get(kind), text(data), tags.isEmpty() ? null : tags);
  }

  private static List<String> tagTuple(byte[] value) throws InvalidPaymentRequestException {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < value.length) {
      int len = value[i] & 0xff;
      if (i + 1 + len > value.length) throw new InvalidPaymentRequestException("creqB tag tuple is truncated");
      out.add(new String(value, i + 1, len, StandardCharsets.UTF_8));
      i += 1 + len;
    }
    if (out.isEmpty()) throw new InvalidPaymentRequestException("creqB tag tuple is empty");
    return out;
  }

  private record Record(int tag, byte[] value) {}

  private static List<Record> records(byte[] data) throws InvalidPaymentRequestException {
    List<Record> out = new ArrayList<>();
    int i = 0;
    while (i < data.length) {
      if (i + 3 > data.length) throw new InvalidPaymentRequestException("creqB TLV is truncated");
      int tag = data[i] & 0xff;
      int len = ((data[i + 1] & 0xff) << 8) | (data[i + 2] & 0xff);
      if (i + 3 + len > data.length) throw new InvalidPaymentRequestException("creqB TLV is truncated");
      byte[] value = new byte[len];
      System.arraycopy(data, i + 3, value, 0, len);
      out.add(new Record(tag, value));
      i += 3 + len;
    }
    return out;
  }

  private static <T> T once(T previous, T value, String what) throws InvalidPaymentRequestException {
    if (previous != null) throw new InvalidPaymentRequestException("creqB has " + what + " twice");
    return value;
  }

  private static Long amount(byte[] v) throws InvalidPaymentRequestException {
    if (v.length != 8) throw new InvalidPaymentRequestException("creqB amount must be 8 bytes");
    long a = ByteBuffer.wrap(v).getLong();
    if (a < 0) throw new InvalidPaymentRequestException("creqB amount does not fit a signed 64-bit integer");
    return a;
  }

  private static String unit(byte[] v) {
    return v.length == 1 && v[0] == 0 ? "sat" : text(v);
  }

  private static Boolean flag(byte[] v) throws InvalidPaymentRequestException {
    int b = flagByte(v);
    if (b > 1) throw new InvalidPaymentRequestException("creqB single_use must be 0 or 1");
    return b == 1;
  }

  private static int flagByte(byte[] v) throws InvalidPaymentRequestException {
    if (v.length != 1) throw new InvalidPaymentRequestException("creqB expected a one-byte value");
    return v[0] & 0xff;
  }

  private static String text(byte[] v) {
    return new String(v, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Mutable accumulator for decoding; repeatable tags collect into lists. */
  private static final class Fields {
    String id, unit, description;
    Long amount;
    Boolean singleUse;
    Nut10Option nut10;
    final List<String> mints = new ArrayList<>();
    final List<Transport> transports = new ArrayList<>();
  }

  /** TLV writer: 1-byte tag, 2-byte big-endian length, value. */
  private static final class Tlv {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void put(int tag, byte[] value) {
      if (value.length > 0xffff) throw new IllegalArgumentException("a creqB field is longer than 65535 bytes");
      out.write(tag);
      out.write(value.length >>> 8);
      out.write(value.length);
      out.writeBytes(value);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
