package archy.ecash.mint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that answers mint endpoints with canned NUT JSON, records what it received,
 * and can lose an answer (close the connection after reading the request), as a crashed proxy would.
 */
final class CannedMint implements AutoCloseable {
  /** What the server received. */
  record Received(String method, String path, String body) {}

  /** An answer: a status and a body, or {@link #LOST} to drop the connection without one. */
  record Answer(int status, String body) {
    static final Answer LOST = new Answer(-1, null);

    static Answer ok(String json) {
      return new Answer(200, json);
    }
  }

  @FunctionalInterface
  interface Route {
    Answer answer(Received request) throws Exception;
  }

  private final HttpServer server;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  CannedMint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code key} is {@code "METHOD /path"}. */
  CannedMint on(String key, Route route) {
    routes.put(key, route);
    return this;
  }

  CannedMint on(String key, String json) {
    return on(key, r -> Answer.ok(json));
  }

  List<Received> received(String method, String path) {
    return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), body);
    received.add(r);
    Route route = routes.get(r.method() + " " + r.path());
    Answer answer;
    try {
      answer = route == null ? new Answer(404, "{\"detail\":\"not found\"}") : route.answer(r);
    } catch (Exception e) {
      answer = new Answer(500, "internal error");
    }
    if (answer.status() < 0) {
      ex.close();
      return;
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
