#pragma once
// The OpenAPI 3 document of the API, made from the route table itself: a route cannot be served
// without being described, nor described without being served.

#include <QJsonObject>
#include <QList>

#include "core/api/route.h"

namespace echoforge::api {

QJsonObject openApiDocument(const QList<Route>& routes);

} // namespace echoforge::api
