package archy.plugin;

import archy.config.ConfigSection;
import archy.http.HttpFront;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** A test plugin that uses every part of the SPI, so {@code PluginSpiTest} can prove each works. */
public final class ProbePlugin implements RelayPlugin {
  static final List<String> saved = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public void readConfig(ConfigSection section) {
    section.integer("header_bytes", 0, 0);
    section.text("forbidden", "forbidden");
  }

  @Override
  public void install(PluginContext ctx) {
    ctx.migrate();
    ConfigSection config = ConfigSection.of(name(), ctx.config());
    int headerBytes = config.integer("header_bytes", 0, 0);
    if (headerBytes > 0) ctx.needRequestHeader(headerBytes);
    String forbidden = config.text("forbidden", "forbidden");
    ctx.hooks().rejectEvent((event, origin) -> event.content().equals(forbidden)
        ? Verdict.reject("blocked: the probe refuses '" + forbidden + "'") : Verdict.accept());
    ctx.hooks().rejectFilter((filter, origin) -> filter.kinds().contains(666)
        ? Verdict.reject("restricted: the probe hides kind 666") : Verdict.accept());
    ctx.hooks().onEventSaved(event -> {
      saved.add(event.id());
      try (Connection c = ctx.dataSource().getConnection();
           PreparedStatement insert = c.prepareStatement("INSERT INTO probe_seen (event_id, kind) VALUES (?, ?)")) {
        insert.setString(1, event.id());
        insert.setInt(2, event.kind());
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    ctx.services().publish(Supplier.class, () -> "probe service");
    Supplier<?> found = ctx.services().find(Supplier.class).orElseThrow();
    ctx.route("/api/probe", new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.equals("/api/probe/publish") && HttpMethod.POST.is(request.getMethod())) {
          Event e = EventSigner.sign(ctx.nodeKeys(), ctx.clock().instant().getEpochSecond(), 1,
              List.of(List.of("t", "probe")), "published by the probe");
          EventGateway.Published result = ctx.events().publish(e, Origin.INTERNAL).get();
          HttpFront.send(request, response, callback, 200, "text/plain", result.accepted() + " " + e.id());
          return true;
        }
        HttpFront.send(request, response, callback, 200, "text/plain",
            found.get() + "; seen " + countSeen(ctx) + "; data dir " + ctx.dataDir().getFileName());
        return true;
      }
    });
  }

  private static int countSeen(PluginContext ctx) {
    try (Connection c = ctx.dataSource().getConnection();
         ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM probe_seen WHERE note IS NULL")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
