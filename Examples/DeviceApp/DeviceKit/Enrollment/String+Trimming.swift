extension String {
    /// Without leading and trailing spaces, tabs, CR and LF.
    var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        var view = Substring(self)
        while let first = view.first, blank(first) { view.removeFirst() }
        while let last = view.last, blank(last) { view.removeLast() }
        return String(view)
    }
}
