package archy.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** Which prefixes a plugin may route: {@code /api/<name>} and the documented pages, nothing else at the root. */
class PluginRoutesTest {
  private static Handler handler() {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        return false;
      }
    };
  }

  @Test
  void apiPrefixesAndDocumentedPagesAreAccepted() {
    PluginRoutes routes = new PluginRoutes();
    assertDoesNotThrow(() -> routes.add("/api/films", handler()));
    assertDoesNotThrow(() -> routes.add("/films", handler()));
    assertDoesNotThrow(() -> routes.add("/backstage", handler()));
  }

  @Test
  void otherTopLevelPathsAreRefused() {
    PluginRoutes routes = new PluginRoutes();
    assertThrows(IllegalArgumentException.class, () -> routes.add("/backstage2", handler()));
    assertThrows(IllegalArgumentException.class, () -> routes.add("/films2", handler()));
    assertThrows(IllegalArgumentException.class, () -> routes.add("/api/", handler()));
    assertThrows(IllegalArgumentException.class, () -> routes.add("/", handler()));
  }
}
