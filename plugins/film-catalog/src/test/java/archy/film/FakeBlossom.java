package archy.film;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A minimal Blossom GET server on 127.0.0.1 that counts requests and may serve wrong bytes or answer slowly. */
final class FakeBlossom implements AutoCloseable {
  final Map<String, byte[]> byPath = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  /** Requests per path: the catalog reads a film's master playlist on its own, so tests count the paths they ask. */
  final Map<String, AtomicInteger> byPathRequests = new ConcurrentHashMap<>();
  volatile long delayMillis;
  private final HttpServer server;

  FakeBlossom() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byPathRequests.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = byPath.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
  }

  int requests(String path) {
    AtomicInteger n = byPathRequests.get(path);
    return n == null ? 0 : n.get();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
