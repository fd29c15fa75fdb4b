/// Everything the broker stores: the generic core plus one protocol per aggregate. A backend
/// conforms by implementing `RecordStore`; the aggregate APIs come from protocol extensions.
public protocol Store: RecordStore, SigningKeyStore, OfficerStore, PartnerStore, CitizenStore,
    EnrollmentStore, DeviceStore, NonceStore, AuthorizationRequestStore, ApprovalStore, GrantStore,
    ConsentStore, SessionStore, SettingStore,
    // dynamic client registration
    RegisteredClientStore {}
