package archy.quic;

import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test plugin serving {@value #ALPN} through the QUIC SPI: {@code echo} answers the header and the peer;
 * {@code bytes} streams {@code length} pattern bytes (never held in memory); {@code cut} throws after
 * {@code length} bytes, as a store error or a hash found wrong at the end would.
 */
public final class QuicProbePlugin implements RelayPlugin {
  public static final String ALPN = "archy/probe/1";
  /** What each streamed answer reported, in order, for tests to check the byte count. */
  static final LinkedBlockingQueue<QuicReply.Sent> sent = new LinkedBlockingQueue<>();

  @Override
  public String name() {
    return "quic-probe";
  }

  @Override
  public void install(PluginContext ctx) {
    ctx.quic().register(ALPN, (request, reply) -> {
      ObjectNode header = request.header();
      long length = header.path("length").asLong(0);
      switch (header.path("op").asText()) {
        case "echo" -> {
          ObjectNode answer = QuicStatus.of(200);
          answer.put("peer", request.peer().nodeKey().orElse(null));
          answer.put("client", request.clientCertificate());
          answer.set("echo", header.path("text"));
          reply.answer(answer);
        }
        case "bytes" -> sent.add(reply.stream(QuicStatus.of(200).put("length", length), new Pattern(length, false)));
        case "cut" -> sent.add(reply.stream(QuicStatus.of(200).put("length", length), new Pattern(length, true)));
        default -> reply.refuse(400, "unknown op");
      }
    });
  }

  /** A prime period, so the pattern never lines up with chunk or packet sizes. */
  private static final int PERIOD = 65_521;
  private static final byte[] BLOCK = new byte[PERIOD];

  static {
    for (int i = 0; i < PERIOD; i++) BLOCK[i] = (byte) (i * 131 + (i >>> 7));
  }

  /** Byte {@code i} of every probe body. */
  static byte at(long i) {
    return BLOCK[(int) (i % PERIOD)];
  }

  /** {@code length} pattern bytes, generated as read; with {@code fail}, an IOException instead of the end. */
  static final class Pattern extends InputStream {
    private final long length;
    private final boolean fail;
    private long position;

    Pattern(long length, boolean fail) {
      this.length = length;
      this.fail = fail;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position == length) {
        if (fail) throw new IOException("the probe fails at the end, as a wrong hash would");
        return -1;
      }
      int start = (int) (position % PERIOD);
      int n = (int) Math.min(Math.min(len, length - position), PERIOD - start);
      System.arraycopy(BLOCK, start, b, off, n);
      position += n;
      return n;
    }
  }
}
