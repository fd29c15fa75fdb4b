import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Pre-initialized sign/verify contexts for one key, copied for each operation.
///
/// OpenSSL 3 looks up (fetches) the signature and digest implementations on every
/// `EVP_DigestSignInit`, which costs as much as a P-256 signature itself. Initializing one
/// template per algorithm and giving each operation a copy (`EVP_MD_CTX_copy_ex`) skips that
/// work. Copies are taken under a lock, so the template is never read by two threads at once;
/// the signing itself runs unlocked on the private copy.
///
/// `@unchecked Sendable`: `templates` is only touched while `mutex` is held.
final class ContextCache: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Indexed by `slot(algorithm:signing:)`; nil until first use.
    private var templates: [OpaquePointer?] = Array(repeating: nil, count: JWSAlgorithm.allCases.count * 2)

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        for case let template? in templates { EVP_MD_CTX_free(template) }
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    private static func slot(_ algorithm: JWSAlgorithm, _ signing: Bool) -> Int {
        (JWSAlgorithm.allCases.firstIndex(of: algorithm) ?? 0) * 2 + (signing ? 1 : 0)
    }

    /// A fresh context ready for one `EVP_DigestSign`/`EVP_DigestVerify` with `key`.
    func context(for key: EVPKey, algorithm: JWSAlgorithm, signing: Bool) throws(JOSEError) -> DigestContext {
        let context = try DigestContext()
        let slot = ContextCache.slot(algorithm, signing)
        pthread_mutex_lock(mutex)
        var template = templates[slot]
        if template == nil, let fresh = EVP_MD_CTX_new() {
            if (try? key.initialize(fresh, algorithm: algorithm, signing: signing)) != nil {
                template = fresh
                templates[slot] = fresh
            } else {
                EVP_MD_CTX_free(fresh)
            }
        }
        let copied = template.map { EVP_MD_CTX_copy_ex(context.pointer, $0) == 1 } ?? false
        pthread_mutex_unlock(mutex)
        if !copied {
            // No template (or the provider cannot duplicate): initialize directly.
            ERR_clear_error()
            try key.initialize(context.pointer, algorithm: algorithm, signing: signing)
        }
        return context
    }
}
