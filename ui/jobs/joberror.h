#pragma once
// Why a background job failed, as a value (see jobrunner.h): what kind of failure, the message
// the user reads, and the parameter it concerns. The one place where a caught exception becomes
// an outcome, so every job of the app reports the same exception the same way.

#include <QMetaType>
#include <QString>

#include <exception>
#include <optional>

namespace ws::ui {

struct JobError
{
    enum class Kind {
        Input,    // invalid parameters or an unreadable file (core::InputError)
        Resource, // beyond the memory budget or out of memory (core::ResourceError, bad_alloc)
        Internal, // anything else: a bug or an unexpected library error
    };
    Kind kind = Kind::Internal;
    QString message; // complete sentence for the user, e.g. "sigma: must be > 0, got -1"
    QString param;   // the parameter it concerns ("sigma"), empty when unknown
};

// The outcome of a caught exception: core::InputError -> Input, core::ResourceError ->
// Resource, std::bad_alloc -> Resource "not enough memory", any other exception -> Internal with
// its what(); std::nullopt for core::Cancelled (a cancel is never a failure). `e` must not be
// null. Thread-safe (no shared state): workers call it.
std::optional<JobError> jobError(const std::exception_ptr& e);

// "Input", "Resource", "Internal" (test output, logs).
QString toString(JobError::Kind kind);

} // namespace ws::ui

Q_DECLARE_METATYPE(ws::ui::JobError)
