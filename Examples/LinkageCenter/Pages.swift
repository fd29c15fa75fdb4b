import JSON

/// The Linkage Center's pages: plain HTML, no scripts.
enum Pages {
    static let entities: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        text.reduce(into: "") { out, character in out += entities[character] ?? String(character) }
    }

    static func page(_ title: String, _ body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body{font-family:system-ui,"Noto Sans Thai",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head>
        <body><h1>ศูนย์เชื่อมโยงข้อมูล · Linkage Center</h1>
        \(body)
        </body></html>
        """
    }

    static let home = page("Linkage Center", """
        <p>See what state agencies hold about you, in one place.</p>
        <p><a id="sign-in" href="/login">Sign in with Phisut · เข้าสู่ระบบด้วยพิสูจน์</a></p>
        """)

    static func failure(_ message: String) -> String {
        page("Sign-in failed", "<p id=\"error\">Sign-in failed: \(escape(message))</p><p><a href=\"/\">Back</a></p>")
    }

    /// The signed-in page: names in Thai and English, birthdate, pid and the agency records.
    static func citizen(_ info: [String: JSONValue], acr: String) -> String {
        func claim(_ name: String) -> String { escape(info[name]?.stringValue ?? "—") }
        let pid = info["pid"]?.stringValue
        let rows = AgencyRecords.records(for: pid).map {
            "<tr><td>\(escape($0.agencyTH)) · \(escape($0.agency))</td><td>\(escape($0.entry))</td></tr>"
        }.joined(separator: "\n")
        return page("Your data", """
            <h2 id="citizen-name">\(claim("name#th")) · \(claim("name"))</h2>
            <table id="citizen">
            <tr><th>ชื่อ · Given name</th><td>\(claim("given_name#th")) · \(claim("given_name#en"))</td></tr>
            <tr><th>นามสกุล · Family name</th><td>\(claim("family_name#th")) · \(claim("family_name#en"))</td></tr>
            <tr><th>วันเกิด · Birthdate</th><td>\(claim("birthdate"))</td></tr>
            <tr><th>เลขประจำตัวประชาชน · Citizen ID</th><td id="pid">\(pid.map(escape) ?? "not granted")</td></tr>
            <tr><th>Assurance</th><td>\(escape(acr))</td></tr>
            </table>
            <h3>Data held by state agencies</h3>
            <table id="agency-records">\(rows)</table>
            <p><a id="sign-out" href="/logout">Sign out</a></p>
            """)
    }
}
