//! Error classification: every failed call becomes an [`ApiFailure`] with AWS's code and a class.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// What kind of failure a call had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The caller may not make this call (IAM, SCP, or an Organizations rule).
    AccessDenied,
    /// AWS throttled the call and retries did not get through.
    Throttled,
    /// The region is not enabled for the account, or the credentials are not valid there.
    RegionDisabled,
    /// The resource does not exist (for some calls a normal answer: no policy, no URL).
    NotFound,
    /// Anything else: network, timeout, a service error we do not classify.
    Other,
}

/// A failed call, as recorded in a gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// AWS's error code, or `Timeout`, `DispatchFailure`, `ResponseError`, `ConstructionFailure`.
    pub code: String,
    /// AWS's message, or the transport error's description.
    pub message: String,
    /// The class.
    pub class: ErrorClass,
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// Classifies an error code.
pub fn classify(code: &str) -> ErrorClass {
    match code {
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnauthorizedException"
        | "AuthorizationError"
        | "Forbidden"
        | "NotAuthorized" => ErrorClass::AccessDenied,
        "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "SlowDown"
        | "Throttled"
        | "TooManyRequests" => ErrorClass::Throttled,
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "AuthFailure"
        | "OptInRequired"
        | "InvalidIdentityToken" => ErrorClass::RegionDisabled,
        "ResourceNotFoundException" | "NoSuchEntity" | "NoSuchEntityException" => {
            ErrorClass::NotFound
        }
        _ => ErrorClass::Other,
    }
}

impl ApiFailure {
    /// From any SDK error.
    pub fn from_sdk<E, R>(err: &SdkError<E, R>) -> ApiFailure
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let (code, message) = match err {
            SdkError::ServiceError(se) => {
                let e = se.err();
                (
                    e.code().unwrap_or("Unknown").to_string(),
                    e.message()
                        .map(str::to_string)
                        .unwrap_or_else(|| DisplayErrorContext(e).to_string()),
                )
            }
            SdkError::TimeoutError(_) => {
                ("Timeout".to_string(), DisplayErrorContext(err).to_string())
            }
            SdkError::DispatchFailure(_) => (
                "DispatchFailure".to_string(),
                DisplayErrorContext(err).to_string(),
            ),
            SdkError::ResponseError(_) => (
                "ResponseError".to_string(),
                DisplayErrorContext(err).to_string(),
            ),
            SdkError::ConstructionFailure(_) => (
                "ConstructionFailure".to_string(),
                DisplayErrorContext(err).to_string(),
            ),
            _ => ("Unknown".to_string(), DisplayErrorContext(err).to_string()),
        };
        ApiFailure {
            class: classify(&code),
            code,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_classes() {
        assert_eq!(classify("AccessDeniedException"), ErrorClass::AccessDenied);
        assert_eq!(classify("UnauthorizedOperation"), ErrorClass::AccessDenied);
        assert_eq!(classify("TooManyRequestsException"), ErrorClass::Throttled);
        assert_eq!(classify("RequestLimitExceeded"), ErrorClass::Throttled);
        assert_eq!(
            classify("UnrecognizedClientException"),
            ErrorClass::RegionDisabled
        );
        assert_eq!(classify("ResourceNotFoundException"), ErrorClass::NotFound);
        assert_eq!(classify("InternalFailure"), ErrorClass::Other);
    }
}
