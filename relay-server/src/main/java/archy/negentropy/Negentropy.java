package archy.negentropy;

import archy.nostr.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Negentropy v1 set reconciliation (range-based), both roles over one {@link Storage}. A client calls
 * {@link #initiate()} then feeds each server answer to {@link #reconcile(byte[])} until it returns no next
 * message, collecting the ids it has that the server lacks and the ids it needs. A server answers every
 * client message with {@link #respond(byte[])}. One instance per session; not thread-safe.
 */
public final class Negentropy {
  public static final int PROTOCOL_VERSION = 0x61;
  private static final int MODE_SKIP = 0;
  private static final int MODE_FINGERPRINT = 1;
  private static final int MODE_ID_LIST = 2;
  private static final int BUCKETS = 16;
  /** Room kept below the frame limit for the closing fingerprint range, as the reference does. */
  private static final int FRAME_SLACK = 200;

  private final Storage storage;
  private final int frameSizeLimit;
  private boolean initiator;

  /** {@code frameSizeLimit} 0 means unlimited messages; otherwise at least 4096 bytes. */
  public Negentropy(Storage storage, int frameSizeLimit) {
    if (frameSizeLimit != 0 && frameSizeLimit < 4096) throw new IllegalArgumentException("frameSizeLimit too small");
    this.storage = storage;
    this.frameSizeLimit = frameSizeLimit;
  }

  /** A client's answer to a server message: the next message (null when reconciliation is complete). */
  public record Reply(byte[] next, List<String> have, List<String> need) {}

  public byte[] initiate() {
    if (initiator) throw new IllegalStateException("already initiated");
    initiator = true;
    Wire.Writer out = new Wire.Writer();
    out.writeByte(PROTOCOL_VERSION);
    splitRange(0, storage.size(), Bound.INFINITE, out);
    return out.toByteArray();
  }

  /** Client side: processes a server message; have/need hold hex ids learned from it. */
  public Reply reconcile(byte[] message) {
    if (!initiator) throw new IllegalStateException("initiate() first");
    List<String> have = new ArrayList<>();
    List<String> need = new ArrayList<>();
    byte[] next = process(message, have, need);
    return new Reply(next.length == 1 ? null : next, have, need);
  }

  /** Server side: the answer to a client message (a lone version byte when the client's version is unknown). */
  public byte[] respond(byte[] message) {
    if (initiator) throw new IllegalStateException("a client does not respond");
    return process(message, null, null);
  }

  private byte[] process(byte[] message, List<String> have, List<String> need) {
    Wire.Reader in = new Wire.Reader(message);
    Wire.Writer full = new Wire.Writer();
    full.writeByte(PROTOCOL_VERSION);
    int version = in.readByte();
    if (version < 0x60 || version > 0x6f) throw new NegentropyException("invalid protocol version byte");
    if (version != PROTOCOL_VERSION) {
      if (initiator) throw new NegentropyException("unsupported protocol version " + (version - 0x60));
      return full.toByteArray();
    }
    int size = storage.size();
    Bound prevBound = Bound.ZERO;
    int prevIndex = 0;
    boolean skip = false;
    while (in.hasMore()) {
      Wire.Writer o = new Wire.Writer(full);
      Bound currBound = in.readBound();
      long mode = in.readVarint();
      int lower = prevIndex;
      int upper = storage.lowerBound(prevIndex, size, currBound);
      if (mode == MODE_SKIP) {
        skip = true;
      } else if (mode == MODE_FINGERPRINT) {
        byte[] theirs = in.readBytes(Storage.FINGERPRINT_SIZE);
        if (!Arrays.equals(theirs, storage.fingerprint(lower, upper))) {
          if (skip) writeSkip(o, prevBound);
          skip = false;
          splitRange(lower, upper, currBound, o);
        } else {
          skip = true;
        }
      } else if (mode == MODE_ID_LIST) {
        int count = in.readSmallVarint("id list length", message.length / Storage.ID_SIZE);
        if (initiator) {
          Set<String> theirs = new HashSet<>();
          for (int i = 0; i < count; i++) theirs.add(Hex.encode(in.readBytes(Storage.ID_SIZE)));
          skip = true;
          for (int i = lower; i < upper; i++) {
            String id = Hex.encode(storage.id(i));
            if (!theirs.remove(id)) have.add(id);
          }
          need.addAll(theirs);
        } else {
          in.readBytes(count * Storage.ID_SIZE);
          if (skip) writeSkip(o, prevBound);
          skip = false;
          upper = answerIdList(lower, upper, currBound, full, o);
          full.append(o);
          o = new Wire.Writer(full);
        }
      } else {
        throw new NegentropyException("unexpected mode " + mode);
      }
      if (exceedsFrame(full.size() + o.size())) {
        // Out of room: one fingerprint for everything not yet covered lets the peer ask again.
        full.writeBound(Bound.INFINITE);
        full.writeVarint(MODE_FINGERPRINT);
        full.writeBytes(storage.fingerprint(upper, size));
        break;
      }
      full.append(o);
      prevIndex = upper;
      prevBound = currBound;
    }
    return full.toByteArray();
  }

  /** Server: our ids in [lower, upper), cut short at the frame limit; returns where the list really ended. */
  private int answerIdList(int lower, int upper, Bound currBound, Wire.Writer full, Wire.Writer o) {
    Wire.Writer ids = new Wire.Writer();
    Bound end = currBound;
    int n = 0;
    for (int i = lower; i < upper; i++) {
      if (exceedsFrame(full.size() + ids.size())) {
        end = new Bound(storage.timestamp(i), storage.id(i));
        upper = i;
        break;
      }
      storage.writeId(i, ids);
      n++;
    }
    o.writeBound(end);
    o.writeVarint(MODE_ID_LIST);
    o.writeVarint(n);
    o.append(ids);
    return upper;
  }

  private static void writeSkip(Wire.Writer o, Bound prevBound) {
    o.writeBound(prevBound);
    o.writeVarint(MODE_SKIP);
  }

  private void splitRange(int lower, int upper, Bound upperBound, Wire.Writer o) {
    int n = upper - lower;
    if (n < BUCKETS * 2) {
      o.writeBound(upperBound);
      o.writeVarint(MODE_ID_LIST);
      o.writeVarint(n);
      for (int i = lower; i < upper; i++) storage.writeId(i, o);
      return;
    }
    int perBucket = n / BUCKETS;
    int withExtra = n % BUCKETS;
    int curr = lower;
    for (int b = 0; b < BUCKETS; b++) {
      int bucketSize = perBucket + (b < withExtra ? 1 : 0);
      byte[] fingerprint = storage.fingerprint(curr, curr + bucketSize);
      curr += bucketSize;
      o.writeBound(curr == upper ? upperBound : minimalBound(curr - 1, curr));
      o.writeVarint(MODE_FINGERPRINT);
      o.writeBytes(fingerprint);
    }
  }

  /** The shortest bound above record {@code prev} and not above record {@code curr}. */
  private Bound minimalBound(int prev, int curr) {
    if (storage.timestamp(prev) != storage.timestamp(curr)) return Bound.of(storage.timestamp(curr));
    byte[] a = storage.id(prev);
    byte[] b = storage.id(curr);
    int shared = Arrays.mismatch(a, b);
    return new Bound(storage.timestamp(curr), Arrays.copyOf(b, shared + 1));
  }

  private boolean exceedsFrame(int n) {
    return frameSizeLimit != 0 && n > frameSizeLimit - FRAME_SLACK;
  }
}
