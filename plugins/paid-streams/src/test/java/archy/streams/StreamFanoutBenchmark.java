package archy.streams;

import archy.ecash.TestMint;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.nostr.Nip44;
import archy.testing.RelayCalls;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 17: live fan-out of a priced stream to many authenticated, funded subscribers next to the same fan-out of
 * an unpriced stream (target ≥ 0.8× its rate), and the delivery hook's cost on an ordinary REQ of 500 unpriced
 * events (plugin loaded vs not). A main in the test sources; command and figures in docs/benchmarks.md:
 *
 * <pre>
 * java -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$CP" archy.streams.StreamFanoutBenchmark \
 *     /tmp/stream-bench [subscribers=1000] [events per block=100] [rounds=3] [events/s=20] [REQ runs=200]
 * </pre>
 *
 * <p>Node A (SQLite) runs ecash-gate and paid-streams with the dev mint; one publisher offers a priced stream
 * (1 sat, kind 1083) and an unpriced one (kind 1084, which therefore takes the host's unguarded path). Every
 * subscriber authenticates (NIP-42), subscribes to both streams and pays once through the real path (a kind 21083
 * with a NIP-44 token the relay redeems at the mint) for every priced observation the run publishes. Then blocks of
 * observations alternate, priced and unpriced, each sent at a steady rate without waiting for OKs; latency is
 * publish (just before the EVENT frame goes out) to receipt, in this JVM's nanoTime, per delivered copy.
 * Node B has no plugin; both hold the same 500 kind-1 events, and REQs of them alternate between the two nodes.
 */
public final class StreamFanoutBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PRICE = 1;
  private static final String LIMITS = """
      [relay]
      max_connections_per_ip = 5000
      events_per_second = 100000
      event_burst = 100000
      """;

  private StreamFanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/stream-bench");
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int perBlock = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    double rate = args.length > 4 ? Double.parseDouble(args[4]) : 20;
    int reqRuns = args.length > 5 ? Integer.parseInt(args[5]) : 200;

    try (TestMint mint = TestMint.start("stream-bench-" + System.nanoTime(), dir.resolve("payer-" + System.nanoTime()));
         TestNode a = TestNode.start(dir.resolve("a-" + System.nanoTime()), LIMITS + """
             [plugins]
             enabled = ["ecash-gate", "paid-streams"]
             [ecash-gate]
             mints = ["%s"]
             fail_open = false
             """.formatted(mint.url()));
         TestNode b = TestNode.start(dir.resolve("b-" + System.nanoTime()), LIMITS)) {
      HttpClient http = HttpClient.newHttpClient();
      try {
        run(http, mint, a, b, subscribers, perBlock, rounds, rate, reqRuns);
      } finally {
        http.shutdownNow(); // close() would wait for every WebSocket a failed run left open
      }
    }
  }

  private static void run(HttpClient http, TestMint mint, TestNode a, TestNode b, int subscribers, int perBlock,
                          int rounds, double rate, int reqRuns) throws Exception {
    int warmup = Math.max(1, perBlock / 4);
    // a power of two: the payer wallet then hands out one-proof tokens (many small change proofs would make a token
    // longer than the relay's 16 KiB limit)
    long credit = Long.highestOneBit(PRICE * ((long) perBlock * rounds + warmup) * 2 - 1);
    System.out.printf("load average at the start: %s%n", loadAverage());
    Keys publisher = Keys.generate();
    String priced = "30083:" + publisher.publicKeyHex() + ":priced";
    String free = "30083:" + publisher.publicKeyHex() + ":free";
    Stream pricedStream = new Stream("priced", priced, 1083);
    Stream freeStream = new Stream("unpriced", free, 1084);
    Client pub = Client.connect(http, a.wsUrl(), publisher);
    pub.publish(offer(publisher, "priced", PRICE, 1083));
    pub.publish(offer(publisher, "free", 0, 1084));

    long t = System.nanoTime();
    List<Client> subs = connectAll(http, a, subscribers, priced, free);
    System.out.printf("%d subscribers connected, authenticated and subscribed in %.1f s%n", subscribers, secs(t));
    t = System.nanoTime();
    mint.fund(mint.payer(), credit * subscribers);
    payAll(mint, a, subs, priced, credit);
    System.out.printf("%d payments of %d sat each (kind 21083, redeemed at the mint) in %.1f s%n", subscribers, credit,
        secs(t));

    Map<String, Sent> sent = new ConcurrentHashMap<>();
    for (Client c : subs) c.sent = sent;
    block(pub, subs, sent, publisher, pricedStream, warmup, rate);
    block(pub, subs, sent, publisher, freeStream, warmup, rate);
    List<Result> pricedResults = new ArrayList<>();
    List<Result> freeResults = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      // alternate which goes first, so a slow patch of the machine does not always land on the same side
      Stream first = r % 2 == 0 ? pricedStream : freeStream;
      Stream second = first == pricedStream ? freeStream : pricedStream;
      Result x = block(pub, subs, sent, publisher, first, perBlock, rate);
      Result y = block(pub, subs, sent, publisher, second, perBlock, rate);
      (first == pricedStream ? pricedResults : freeResults).add(x);
      (first == pricedStream ? freeResults : pricedResults).add(y);
      System.out.println(x);
      System.out.println(y);
    }
    long notices = subs.stream().mapToLong(c -> c.notices.get()).sum();
    System.out.printf("payment-required NOTICEs during the run: %d%n", notices);
    summary(pricedResults, freeResults);
    for (Client c : subs) c.close();
    pub.close();

    requests(a, b, reqRuns);
    System.out.printf("load average at the end: %s%n", loadAverage());
  }

  /** One offered stream and the seq of its last observation. */
  record Stream(String name, String address, int kind, AtomicLong seq) {
    Stream(String name, String address, int kind) {
      this(name, address, kind, new AtomicLong());
    }
  }

  /** When and on which stream an observation went out. */
  record Sent(String stream, long nanos) {}

  record Result(String stream, int events, long delivered, long expected, long[] latencies, double seconds) {
    double perSecond() {
      return delivered / seconds;
    }

    double p(double q) {
      return latencies.length == 0 ? Double.NaN : latencies[(int) Math.min(latencies.length - 1, q * latencies.length)] / 1e6;
    }

    @Override
    public String toString() {
      return String.format("%-8s %d events: %,d/%,d delivered in %.2f s = %,.0f deliveries/s; latency p50 %.1f ms, "
          + "p99 %.1f ms, max %.1f ms", stream, events, delivered, expected, seconds, perSecond(), p(0.5), p(0.99), p(1));
    }
  }

  /** Publishes {@code n} observations at {@code rate}/s and waits for every copy (or 60 s of nothing new). */
  private static Result block(Client pub, List<Client> subs, Map<String, Sent> sent, Keys publisher, Stream stream,
                              int n, double rate) throws Exception {
    List<Event> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long seq = stream.seq().incrementAndGet();
      events.add(EventSigner.sign(publisher, RelayCalls.now(), stream.kind(),
          List.of(List.of("a", stream.address()), List.of("seq", Long.toString(seq))), "value " + seq));
    }
    for (Client c : subs) c.reset();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + (long) (i * 1e9 / rate);
      while (System.nanoTime() < due) Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000), 0);
      Event e = events.get(i);
      sent.put(e.id(), new Sent(stream.name(), System.nanoTime()));
      pub.socket.sendText("[\"EVENT\"," + e.json() + "]", true).join();
    }
    for (int i = 0; i < n; i++) {
      JsonNode ok = pub.next();
      if (!ok.path(2).asBoolean()) throw new IllegalStateException("publish refused: " + ok);
    }
    long expected = (long) n * subs.size();
    long last = -1;
    long quietSince = System.nanoTime();
    while (true) {
      long got = subs.stream().mapToLong(Client::count).sum();
      if (got >= expected) break;
      if (got != last) {
        last = got;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(60)) {
        break;
      }
      Thread.sleep(5);
    }
    long lastReceived = start;
    List<long[]> parts = new ArrayList<>();
    long delivered = 0;
    for (Client c : subs) {
      synchronized (c) {
        parts.add(Arrays.copyOf(c.latencies, c.n));
        delivered += c.n;
        lastReceived = Math.max(lastReceived, c.lastReceived);
      }
    }
    long[] all = new long[(int) delivered];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    Arrays.sort(all);
    for (Event e : events) sent.remove(e.id());
    return new Result(stream.name(), n, delivered, expected, all, (lastReceived - start) / 1e9);
  }

  private static void summary(List<Result> priced, List<Result> free) {
    double p = median(priced.stream().mapToDouble(Result::perSecond).toArray());
    double f = median(free.stream().mapToDouble(Result::perSecond).toArray());
    System.out.printf("median deliveries/s: priced %,.0f, unpriced %,.0f (%.2fx)%n", p, f, p / f);
    System.out.printf("latency over all rounds: priced p50 %.1f / p99 %.1f ms, unpriced p50 %.1f / p99 %.1f ms%n",
        pooled(priced, 0.5), pooled(priced, 0.99), pooled(free, 0.5), pooled(free, 0.99));
  }

  private static double pooled(List<Result> results, double q) {
    long[] all = results.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
    return all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, q * all.length)] / 1e6;
  }

  private static double median(double[] xs) {
    Arrays.sort(xs);
    return xs.length == 0 ? Double.NaN : xs[xs.length / 2];
  }

  /** REQ of the same 500 kind-1 events on node A (plugins loaded) and node B (none), alternating. */
  private static void requests(TestNode a, TestNode b, int runs) {
    Keys author = Keys.generate();
    try (WsClient ca = WsClient.connectSkippingAuth(a.wsUrl()); WsClient cb = WsClient.connectSkippingAuth(b.wsUrl())) {
      for (int i = 0; i < 500; i++) {
        Event e = EventSigner.sign(author, RelayCalls.now() - i, 1, List.of(), "note " + i);
        RelayCalls.publish(ca, e);
        RelayCalls.publish(cb, e);
      }
      String filter = "{\"kinds\":[1],\"authors\":[\"" + author.publicKeyHex() + "\"],\"limit\":500}";
      for (int i = 0; i < 20; i++) {
        req(ca, filter);
        req(cb, filter);
      }
      long[] la = new long[runs];
      long[] lb = new long[runs];
      long ta = 0;
      long tb = 0;
      for (int i = 0; i < runs; i++) {
        boolean aFirst = i % 2 == 0;
        if (aFirst) la[i] = req(ca, filter);
        lb[i] = req(cb, filter);
        if (!aFirst) la[i] = req(ca, filter);
        ta += la[i];
        tb += lb[i];
      }
      Arrays.sort(la);
      Arrays.sort(lb);
      System.out.printf("REQ 500 kind-1, plugins loaded:  p50 %.2f ms, p99 %.2f ms, %.0f REQ/s (%d runs)%n",
          la[runs / 2] / 1e6, la[(int) (runs * 0.99)] / 1e6, runs / (ta / 1e9), runs);
      System.out.printf("REQ 500 kind-1, no plugin:       p50 %.2f ms, p99 %.2f ms, %.0f REQ/s (%d runs)%n",
          lb[runs / 2] / 1e6, lb[(int) (runs * 0.99)] / 1e6, runs / (tb / 1e9), runs);
    }
  }

  /** One REQ to EOSE; its duration in ns. */
  private static long req(WsClient c, String filter) {
    long t = System.nanoTime();
    int n = RelayCalls.req(c, "r", filter).size();
    long d = System.nanoTime() - t;
    if (n != 500) throw new IllegalStateException("REQ returned " + n + " events");
    return d;
  }

  private static Event offer(Keys publisher, String d, long price, int kind) {
    return EventSigner.sign(publisher, RelayCalls.now(), Offer.KIND, List.of(List.of("d", d), List.of("title", d),
        List.of("price", Long.toString(price), "sat"), List.of("k", Integer.toString(kind))), "");
  }

  private static List<Client> connectAll(HttpClient http, TestNode a, int n, String priced, String free) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Client>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          Client c = Client.connect(http, a.wsUrl(), Keys.generate());
          c.socket.sendText("[\"REQ\",\"p\",{\"kinds\":[1083],\"#a\":[\"" + priced + "\"]}]", true).join();
          c.socket.sendText("[\"REQ\",\"f\",{\"kinds\":[1084],\"#a\":[\"" + free + "\"]}]", true).join();
          c.expect("EOSE");
          c.expect("EOSE");
          return c;
        }));
      }
      List<Client> out = new ArrayList<>();
      for (Future<Client> f : futures) out.add(f.get());
      return out;
    }
  }

  /** Each subscriber pays for the whole run in one kind 21083 through the relay's real payment path. */
  private static void payAll(TestMint mint, TestNode a, List<Client> subs, String priced, long credit) throws Exception {
    String nodeKey = a.node.keys().publicKeyHex();
    List<Event> payments = new ArrayList<>();
    for (Client c : subs) {
      archy.ecash.token.Token t = mint.token(credit); // the payer wallet is one SQLite file: one at a time
      String token = t.encode();
      if (token.length() > 16000) System.out.println("token of " + t.proofs().size() + " proofs: " + token.length());
      byte[] key = Nip44.conversationKey(c.keys.secretHex(), nodeKey);
      payments.add(EventSigner.sign(c.keys, RelayCalls.now(), Offer.PAYMENT_KIND, List.of(List.of("a", priced)),
          Nip44.encrypt("{\"token\":\"" + token + "\"}", key)));
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < subs.size(); i++) {
        Client c = subs.get(i);
        Event pay = payments.get(i);
        futures.add(pool.submit(() -> {
          c.socket.sendText("[\"EVENT\"," + pay.json() + "]", true).join();
          JsonNode ok = c.expect("OK");
          if (!ok.path(2).asBoolean()) throw new IllegalStateException("payment refused: " + ok);
          return null;
        }));
      }
      for (Future<?> f : futures) f.get();
    }
  }

  /**
   * A WebSocket on one shared HttpClient (a thousand of them), authenticated as {@code keys}. EVENT frames are
   * timed without parsing (the event id is cut out of the text); every other frame is queued as JSON.
   */
  private static final class Client implements WebSocket.Listener {
    final Keys keys;
    final LinkedBlockingQueue<JsonNode> control = new LinkedBlockingQueue<>();
    final AtomicLong notices = new AtomicLong();
    final StringBuilder partial = new StringBuilder();
    volatile Map<String, Sent> sent = Map.of();
    WebSocket socket;
    long[] latencies = new long[256];
    int n;
    long lastReceived;

    private Client(Keys keys) {
      this.keys = keys;
    }

    static Client connect(HttpClient http, String url, Keys keys) throws Exception {
      Client c = new Client(keys);
      c.socket = http.newWebSocketBuilder().buildAsync(URI.create(url), c).get(30, TimeUnit.SECONDS);
      JsonNode challenge = c.expect("AUTH");
      Event auth = EventSigner.sign(keys, RelayCalls.now(), 22242,
          List.of(List.of("relay", url), List.of("challenge", challenge.path(1).asText())), "");
      c.socket.sendText("[\"AUTH\"," + auth.json() + "]", true).join();
      if (!c.expect("OK").path(2).asBoolean()) throw new IllegalStateException("AUTH refused");
      return c;
    }

    void publish(Event e) throws Exception {
      socket.sendText("[\"EVENT\"," + e.json() + "]", true).join();
      JsonNode ok = expect("OK");
      if (!ok.path(2).asBoolean()) throw new IllegalStateException("refused: " + ok);
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = control.poll(60, TimeUnit.SECONDS);
      if (m == null) throw new IllegalStateException("no message within 60 s");
      return m;
    }

    JsonNode expect(String type) throws InterruptedException {
      while (true) {
        JsonNode m = next();
        if (m.path(0).asText().equals(type)) return m;
        if (!m.path(0).asText().equals("NOTICE")) throw new IllegalStateException("expected " + type + ", got " + m);
      }
    }

    synchronized void reset() {
      n = 0;
      lastReceived = 0;
    }

    synchronized long count() {
      return n;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received(partial.toString(), System.nanoTime());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void received(String text, long now) {
      if (text.startsWith("[\"EVENT\"")) {
        int at = text.indexOf("\"id\":\"");
        Sent s = at < 0 ? null : sent.get(text.substring(at + 6, at + 70));
        if (s != null) {
          synchronized (this) {
            if (n == latencies.length) latencies = Arrays.copyOf(latencies, n * 2);
            latencies[n++] = now - s.nanos();
            lastReceived = Math.max(lastReceived, now);
          }
          return;
        }
      }
      try {
        JsonNode m = JSON.readTree(text);
        if (m.path(0).asText().equals("NOTICE")) notices.incrementAndGet();
        control.add(m);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      control.add(JSON.createArrayNode().add("ERROR").add(String.valueOf(error)));
    }

    void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
      socket.abort();
    }
  }

  private static String loadAverage() throws java.io.IOException {
    return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
