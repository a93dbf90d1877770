#include "ui/jobs/joberror.h"

#include "core/model/families.h"     // InputError, ResourceError
#include "core/weights/weights_io.h" // Cancelled

#include <new>

namespace ws::ui {

std::optional<JobError> jobError(const std::exception_ptr& e)
{
    try {
        std::rethrow_exception(e);
    } catch (const core::Cancelled&) {
        return std::nullopt;
    } catch (const core::InputError& x) {
        return JobError{JobError::Kind::Input, QString::fromStdString(x.what()),
                        QString::fromStdString(x.param())};
    } catch (const core::ResourceError& x) {
        return JobError{JobError::Kind::Resource, QString::fromStdString(x.what()), {}};
    } catch (const std::bad_alloc&) {
        // what() says only "std::bad_alloc": name the cause.
        return JobError{JobError::Kind::Resource, QStringLiteral("not enough memory"), {}};
    } catch (const std::exception& x) {
        return JobError{JobError::Kind::Internal, QString::fromStdString(x.what()), {}};
    } catch (...) {
        return JobError{JobError::Kind::Internal, QStringLiteral("unknown error"), {}};
    }
}

QString toString(JobError::Kind kind)
{
    switch (kind) {
    case JobError::Kind::Input:
        return QStringLiteral("Input");
    case JobError::Kind::Resource:
        return QStringLiteral("Resource");
    case JobError::Kind::Internal:
        return QStringLiteral("Internal");
    }
    return QStringLiteral("Internal");
}

} // namespace ws::ui
