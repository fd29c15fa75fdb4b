import Foundation

/// Small helpers for the broker's server-rendered pages (no scripts: the CSP forbids them).
enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A whole page. `head` may add elements such as a refresh.
    static func page(lang: Language, title: String, head: String = "", body: String) -> String {
        """
        <!doctype html>
        <html lang="\(lang.rawValue)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>\(head)
        <style>
        body{font-family:system-ui,"Noto Sans Thai",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
        label{display:block;margin:.6rem 0 .2rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
        button{font-size:1rem;padding:.5rem 1.2rem;margin-top:1rem}.error{color:#a00}.muted{color:#555}
        nav a{margin-right:1rem}svg{max-width:18rem;height:auto}
        </style></head><body>
        \(body)
        </body></html>
        """
    }

    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }
}

/// The languages of the broker's pages.
enum Language: String, Sendable {
    case th, en

    /// From `?lang=` or a form field, else the first supported `Accept-Language`, else Thai.
    static func choose(parameter: String?, acceptLanguage: String?) -> Language {
        if let parameter, let language = Language(rawValue: parameter) { return language }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            // `first`, not `[0]`: a part of only ";" splits into nothing, and a trap here would
            // take the whole server down for one header.
            guard let range = part.split(separator: ";").first else { continue }
            let tag = range.trimmingCharacters(in: .whitespaces).lowercased()
            if tag.hasPrefix("th") { return .th }
            if tag.hasPrefix("en") { return .en }
        }
        return .th
    }

    func pick(_ th: String, _ en: String) -> String { self == .th ? th : en }
}
