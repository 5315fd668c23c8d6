/** Escaping for XML 1.0, which JUnit files are: text and attribute values. */

/**
 * Characters XML 1.0 cannot hold even as references: C0 controls but tab, newline and
 * carriage return, lone surrogates, U+FFFE and U+FFFF. A span name with an ESC in it
 * must not make the whole report unreadable to the CI server.
 */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function replaceForbidden(text: string): string {
  return text.replace(FORBIDDEN, (char) => {
    const code = char.codePointAt(0) as number;
    // Lone surrogates have no meaning to show; a control character is worth seeing as \u001b.
    if (code >= 0xd800 && code <= 0xdfff) return '\uFFFD';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Element content. `>` is escaped too, so that `]]>` in a message cannot end anything. */
export function xmlText(text: string): string {
  return replaceForbidden(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/**
 * An attribute value in double quotes. Tabs and line breaks become character references,
 * because a parser normalises literal ones to spaces and a multi-line message would lose
 * its lines.
 */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;');
}
