package dev.panic.web.internal;

import java.util.Locale;

/** Escaping and the frame every page shares. */
final class Html {

    private Html() {
    }

    /** Text safe inside an element or a quoted attribute. */
    static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** JSON to embed in a {@code <script type="application/json">}: no closing tag can end the script early. */
    static String scriptJson(String json) {
        return json.replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    /** The status as a coloured badge. */
    static String status(Object status) {
        String s = String.valueOf(status).toLowerCase(Locale.ROOT);
        return "<span class=\"badge status-" + esc(s) + "\" data-status>" + esc(s) + "</span>";
    }

    /**
     * A whole page: the top bar with the navigation, then {@code body}.
     *
     * @param page  the page's name, which {@code panic.js} reads to know what to do
     * @param data  more {@code data-} attributes for the body, already escaped (may be empty)
     */
    static String page(String title, String page, String data, String body, String active, int live) {
        String nav = page.equals("watch") || page.equals("prompt") ? "" : """
                <header class="top">
                  <a class="brand" href="/runs"><span class="logo">PANIC</span><span class="tag">loops of creative models</span></a>
                  <nav>
                    <a href="/runs" class="%s">Runs</a>
                    <a href="/new" class="%s">New run</a>
                  </nav>
                  <span class="live-count%s" title="runs going on in this server">%d live</span>
                </header>
                """.formatted(active.equals("runs") ? "on" : "", active.equals("new") ? "on" : "",
                live > 0 ? " some" : "", live);
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · PANIC</title>
                <link rel="stylesheet" href="/assets/panic.css">
                <link rel="icon" href="data:image/svg+xml,%%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%%3E%%3Ccircle cx='16' cy='16' r='12' fill='none' stroke='%%23ff5c8a' stroke-width='5'/%%3E%%3C/svg%%3E">
                </head>
                <body data-page="%s"%s>
                %s<main class="page-%s">
                %s
                </main>
                <div id="toasts" aria-live="polite"></div>
                <script src="/assets/panic.js"></script>
                </body>
                </html>
                """.formatted(esc(title), esc(page), data.isEmpty() ? "" : " " + data, nav, esc(page), body);
    }

    /** An error as a page: what went wrong and where to go, never a stack trace. */
    static String error(int code, String message, int live) {
        String body = """
                <section class="panel error-page">
                  <h1>%s</h1>
                  <p class="message">%s</p>
                  <p><a class="btn" href="/runs">Back to the runs</a> <a class="btn ghost" href="/new">Start a new run</a></p>
                </section>
                """.formatted(code == 404 ? "Not found" : code >= 500 ? "Something went wrong" : "That did not work",
                esc(message));
        return page(code == 404 ? "Not found" : "Error", "error", "", body, "", live);
    }
}
