package dev.chat.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code GET /key-binding} with the SHA-256 fingerprint of the certificate that the key
 * signatures of WebSocket sessions cover (empty when they cover none): a page cannot read its
 * connection's certificate, and needs the fingerprint to sign the key challenge as the server checks it.
 */
final class KeyBinding extends Handler.Wrapper {

    /** Where the page asks. */
    static final String PATH = "/key-binding";

    private final ChatServer chat;

    KeyBinding(ChatServer chat, Handler next) {
        super(next);
        this.chat = chat;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request)) || !HttpMethod.GET.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        // What ClientSession.certificateFingerprint() gives a WebSocket session.
        String fingerprint = chat.webTls() ? chat.tlsFingerprint() : chat.config().proxyFingerprint();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, fingerprint == null ? "" : fingerprint, callback);
        return true;
    }
}
