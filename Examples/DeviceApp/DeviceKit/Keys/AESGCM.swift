import COpenSSL

/// AES-256-GCM through EVP, with a 96-bit nonce and a full 128-bit tag.
enum AESGCM {
    static func encrypt(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]) throws(DeviceError)
        -> (ciphertext: [UInt8], tag: [UInt8])
    {
        guard key.count == 32, nonce.count == 12 else { throw .crypto("AES-256-GCM needs a 32-byte key and 12-byte nonce") }
        let context = try CipherContext()
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        var total = 0
        guard EVP_EncryptInit_ex2(context.pointer, EVP_aes_256_gcm(), key, nonce, nil) == 1,
              EVP_EncryptUpdate(context.pointer, nil, &length, associatedData, Int32(associatedData.count)) == 1
        else { throw failure("AES-GCM setup") }
        let updated = output.withUnsafeMutableBufferPointer { out in
            EVP_EncryptUpdate(context.pointer, out.baseAddress, &length, plaintext, Int32(clamping: plaintext.count)) == 1
        }
        guard updated else { throw failure("AES-GCM encrypt") }
        total = Int(length)
        let finished = output.withUnsafeMutableBufferPointer { out in
            EVP_EncryptFinal_ex(context.pointer, out.baseAddress.map { $0 + total }, &length) == 1
        }
        guard finished else { throw failure("AES-GCM final") }
        total += Int(length)
        let tagged = tag.withUnsafeMutableBytes { EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, 16, $0.baseAddress) == 1 }
        guard tagged else { throw failure("AES-GCM tag") }
        return (Array(output[..<total]), tag)
    }

    /// Throws `.wrongPasscode(remaining: 0)` when the tag does not verify.
    static func decrypt(_ ciphertext: [UInt8], tag: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]) throws(DeviceError)
        -> [UInt8]
    {
        guard key.count == 32, nonce.count == 12, tag.count == 16 else { throw .stateFile("sealed key has the wrong nonce or tag size") }
        let context = try CipherContext()
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0
        var expectedTag = tag
        guard EVP_DecryptInit_ex2(context.pointer, EVP_aes_256_gcm(), key, nonce, nil) == 1,
              EVP_DecryptUpdate(context.pointer, nil, &length, associatedData, Int32(associatedData.count)) == 1
        else { throw failure("AES-GCM setup") }
        let updated = output.withUnsafeMutableBufferPointer { out in
            EVP_DecryptUpdate(context.pointer, out.baseAddress, &length, ciphertext, Int32(clamping: ciphertext.count)) == 1
        }
        guard updated else { throw failure("AES-GCM decrypt") }
        let total = Int(length)
        let tagSet = expectedTag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, 16, $0.baseAddress) == 1
        }
        guard tagSet else { throw failure("AES-GCM tag") }
        let authentic = output.withUnsafeMutableBufferPointer { out in
            EVP_DecryptFinal_ex(context.pointer, out.baseAddress.map { $0 + total }, &length) == 1
        }
        guard authentic else {
            ERR_clear_error()
            wipe(&output)
            throw .wrongPasscode(remaining: 0)
        }
        return Array(output[..<(total + Int(length))])
    }

    private static func failure(_ step: String) -> DeviceError {
        ERR_clear_error()
        return .crypto(step)
    }
}
