/// Just enough HTML reading to automate the broker's pages as CONTRACT.md describes them
/// ("Browser pages"): forms found by `id`, their inputs and submit buttons, and `<output>`
/// elements. Not a general HTML parser: no scripts, no nested forms, no implied end tags.
public struct HTMLPage: Sendable {
    /// One start tag: its lowercased name and attributes (entity-decoded values).
    struct Tag: Sendable {
        let name: String
        let attributes: [String: String]
        /// Offsets of the tag in `HTMLPage.characters`: where it starts and just after its `>`.
        let start: Int
        let end: Int
    }

    /// A form as a browser would submit it.
    public struct Form: Sendable {
        /// The absolute URL to submit to (resolved against the page's URL).
        public let action: String
        /// `GET` or `POST`.
        public let method: String
        /// Inputs that a submission always carries, in document order (hidden, text, and the like;
        /// not buttons, not unchecked checkboxes).
        public let fields: [(name: String, value: String)]
        /// Submit buttons that have a name, in document order.
        public let buttons: [(name: String, value: String)]

        /// The body a browser sends when `button` (a `name`, `value` pair of ``buttons``) is
        /// clicked, with `overrides` replacing or adding fields (e.g. the typed citizen ID).
        public func submission(button: (name: String, value: String)? = nil, overrides: [String: String] = [:]) -> [(String, String)] {
            var pairs: [(String, String)] = []
            var pending = overrides
            for field in fields {
                if let replaced = pending.removeValue(forKey: field.name) {
                    pairs.append((field.name, replaced))
                } else {
                    pairs.append((field.name, field.value))
                }
            }
            for (name, value) in pending.sorted(by: { $0.key < $1.key }) { pairs.append((name, value)) }
            if let button { pairs.append((button.name, button.value)) }
            return pairs
        }
    }

    /// The page's URL, against which relative `action`s resolve.
    public let url: String
    let characters: [Character]
    let tags: [Tag]

    public init(html: String, url: String) {
        self.url = url
        characters = Array(html)
        tags = HTMLPage.scanTags(characters)
    }

    /// The form whose `id` is `id`.
    public func form(id: String) -> Form? {
        guard let open = tags.firstIndex(where: { $0.name == "form" && $0.attributes["id"] == id }) else { return nil }
        let formTag = tags[open]
        var fields: [(name: String, value: String)] = []
        var buttons: [(name: String, value: String)] = []
        for tag in tags[(open + 1)...] {
            if tag.name == "/form" || tag.name == "form" { break }
            guard let name = tag.attributes["name"], !name.isEmpty, tag.attributes["disabled"] == nil else { continue }
            let type = (tag.attributes["type"] ?? (tag.name == "button" ? "submit" : "text")).lowercased()
            switch (tag.name, type) {
            case ("button", "submit"), ("input", "submit"):
                buttons.append((name, tag.attributes["value"] ?? ""))
            case ("input", "checkbox"), ("input", "radio"):
                if tag.attributes["checked"] != nil { fields.append((name, tag.attributes["value"] ?? "on")) }
            case ("input", "button"), ("input", "reset"), ("input", "image"), ("input", "file"), ("button", _):
                continue
            case ("input", _):
                fields.append((name, tag.attributes["value"] ?? ""))
            case ("textarea", _), ("select", _):
                fields.append((name, ""))
            default:
                continue
            }
        }
        let action = URLForm.resolve(formTag.attributes["action"] ?? "", against: url)
        let method = (formTag.attributes["method"] ?? "get").uppercased() == "POST" ? "POST" : "GET"
        return Form(action: action, method: method, fields: fields, buttons: buttons)
    }

    /// The text content of the element whose `id` is `id` (tags stripped, entities decoded,
    /// whitespace trimmed), e.g. `<output id="number-challenge">`.
    public func text(ofElementWithID id: String) -> String? {
        guard let open = tags.firstIndex(where: { $0.attributes["id"] == id }) else { return nil }
        let closing = "/" + tags[open].name
        let end = tags[(open + 1)...].first { $0.name == closing }?.start ?? characters.count
        return HTMLPage.plainText(characters[tags[open].end..<end])
    }

    /// The page's visible text with tags removed and whitespace collapsed (for printing).
    public var text: String {
        var body = characters[...]
        if let open = tags.first(where: { $0.name == "body" }) { body = characters[open.end...] }
        var kept: [Character] = []
        var skipping = false
        var index = body.startIndex
        for tag in tags where tag.start >= body.startIndex {
            if !skipping { kept.append(contentsOf: body[index..<tag.start]) }
            kept.append(" ")
            if tag.name == "style" || tag.name == "script" { skipping = true }
            if tag.name == "/style" || tag.name == "/script" { skipping = false }
            index = tag.end
        }
        if !skipping { kept.append(contentsOf: body[index...]) }
        return HTMLPage.plainText(kept[...])
    }

    static func plainText(_ slice: ArraySlice<Character>) -> String {
        var out: [Character] = []
        var depth = 0
        for character in slice {
            if character == "<" { depth += 1; continue }
            if character == ">" && depth > 0 {
                depth -= 1
                out.append(" ")   // cells and paragraphs stay apart once their tags are gone
                continue
            }
            if depth == 0 { out.append(character) }
        }
        let decoded = decodeEntities(String(out))
        return decoded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Start and end tags in document order; comments, doctypes and text are skipped.
    static func scanTags(_ chars: [Character]) -> [Tag] {
        var tags: [Tag] = []
        var index = 0
        while index < chars.count {
            guard chars[index] == "<" else { index += 1; continue }
            let start = index
            if chars[index...].starts(with: Array("<!--")) {
                index += 4
                while index < chars.count && !chars[index...].starts(with: Array("-->")) { index += 1 }
                index += 3
                continue
            }
            index += 1
            var name = ""
            while index < chars.count, !chars[index].isWhitespace, chars[index] != ">", !(chars[index] == "/" && !name.isEmpty) {
                name.append(chars[index]); index += 1
            }
            var attributes: [String: String] = [:]
            while index < chars.count && chars[index] != ">" {
                if chars[index].isWhitespace || chars[index] == "/" { index += 1; continue }
                var attribute = ""
                while index < chars.count, !chars[index].isWhitespace, chars[index] != "=", chars[index] != ">" {
                    attribute.append(chars[index]); index += 1
                }
                var value = ""
                while index < chars.count && chars[index].isWhitespace { index += 1 }
                if index < chars.count && chars[index] == "=" {
                    index += 1
                    while index < chars.count && chars[index].isWhitespace { index += 1 }
                    if index < chars.count, chars[index] == "\"" || chars[index] == "'" {
                        let quote = chars[index]
                        index += 1
                        while index < chars.count && chars[index] != quote { value.append(chars[index]); index += 1 }
                        index += 1
                    } else {
                        while index < chars.count, !chars[index].isWhitespace, chars[index] != ">" { value.append(chars[index]); index += 1 }
                    }
                }
                let key = attribute.lowercased()
                if !key.isEmpty && attributes[key] == nil { attributes[key] = decodeEntities(value) }
            }
            index += 1
            let lowered = name.lowercased()
            if !lowered.isEmpty && !lowered.hasPrefix("!") && !lowered.hasPrefix("?") {
                tags.append(Tag(name: lowered, attributes: attributes, start: start, end: min(index, chars.count)))
            }
        }
        return tags
    }

    /// The character references pages use: the five named ones and numeric ones.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(10).firstIndex(of: ";") else { out += "&"; rest = after; continue }
            let entity = after[..<semi]
            var replacement: String?
            switch entity {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            case "nbsp": replacement = " "
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    replacement = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if entity.hasPrefix("#") {
                    replacement = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
            }
            if let replacement {
                out += replacement
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }
}
