package io.sekisho.e2e;

/**
 * The state of the page a test navigated to: final URL (after redirects and script navigations),
 * title, visible text ({@code innerText}) and the serialized DOM.
 */
public record PageResult(String url, String title, String text, String html, boolean loaded) {

    boolean sameState(PageResult other) {
        return other != null && url.equals(other.url) && title.equals(other.title) && text.equals(other.text);
    }

    /** Short form for assertion messages: URL, title and the start of the text. */
    @Override
    public String toString() {
        String shortText = text.length() > 400 ? text.substring(0, 400) + "…" : text;
        return "PageResult[" + url + " | " + title + " | " + shortText.replace('\n', ' ') + "]";
    }
}
