// GSSAPI for the CLI's statically linked libgit2, loaded the first time
// libgit2 calls it (docs/adr/0010-static-dependencies.md).
//
// Debian's libgit2 answers an HTTPS server that asks for "Negotiate"
// (Kerberos) authentication through GSSAPI, which Debian ships as a shared
// object only. Linked as one, it brought Kerberos' six libraries into every
// run of the CLI, mapped, relocated and initialised before main() (about
// 1 ms of a 30 ms check), for a call that only an audit's clone from such a
// server makes. This file defines the functions libgit2 calls, each of which
// forwards to libgssapi_krb5.so.2, opened on the first call; without the
// library, a call answers GSS_S_UNAVAILABLE and libgit2 reports that the
// server's authentication failed. Only the `constable` executable of a
// static build compiles it (cmake/dependencies.cmake); everything else links
// GSSAPI through libgit2's shared object.

#include <dlfcn.h>

// Hidden: the definitions below are for libgit2's objects in this
// executable alone. Exported, they would take the place of the real library's
// functions for every shared object loaded later (libpq links GSSAPI too).
#pragma GCC visibility push(hidden)
#include <gssapi/gssapi.h>

namespace {

struct Gssapi {
  decltype(&gss_delete_sec_context) delete_sec_context = nullptr;
  decltype(&gss_display_status) display_status = nullptr;
  decltype(&gss_import_name) import_name = nullptr;
  decltype(&gss_indicate_mechs) indicate_mechs = nullptr;
  decltype(&gss_init_sec_context) init_sec_context = nullptr;
  decltype(&gss_release_buffer) release_buffer = nullptr;
  decltype(&gss_release_name) release_name = nullptr;
  decltype(&gss_release_oid_set) release_oid_set = nullptr;
};

template <typename Function>
bool look_up(void* library, const char* name, Function& function) {
  function = reinterpret_cast<Function>(::dlsym(library, name));
  return function != nullptr;
}

// Every function, or none (a library without one of them is not used).
const Gssapi& gssapi() {
  static const Gssapi loaded = [] {
    Gssapi table;
    void* library = ::dlopen("libgssapi_krb5.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) return table;
    const bool complete = look_up(library, "gss_delete_sec_context", table.delete_sec_context) &&
                          look_up(library, "gss_display_status", table.display_status) &&
                          look_up(library, "gss_import_name", table.import_name) &&
                          look_up(library, "gss_indicate_mechs", table.indicate_mechs) &&
                          look_up(library, "gss_init_sec_context", table.init_sec_context) &&
                          look_up(library, "gss_release_buffer", table.release_buffer) &&
                          look_up(library, "gss_release_name", table.release_name) &&
                          look_up(library, "gss_release_oid_set", table.release_oid_set);
    return complete ? table : Gssapi{};
  }();
  return loaded;
}

// The library's function, or `without_library` when it cannot be loaded.
template <typename Function, typename... Arguments>
OM_uint32 forward(OM_uint32 without_library, Function Gssapi::*member, OM_uint32* minor_status,
                  Arguments... arguments) {
  const Function function = gssapi().*member;
  if (function == nullptr) {
    if (minor_status != nullptr) *minor_status = 0;
    return without_library;
  }
  return function(minor_status, arguments...);
}

// RFC 2743's GSS_C_NT_HOSTBASED_SERVICE, 1.2.840.113554.1.2.1.4, as MIT's
// library defines it; it compares name types by value, so this copy is
// the same name type as its own.
gss_OID_desc hostbased_service{10, const_cast<char*>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04")};

}  // namespace

extern "C" {

gss_OID GSS_C_NT_HOSTBASED_SERVICE = &hostbased_service;

OM_uint32 gss_delete_sec_context(OM_uint32* minor_status, gss_ctx_id_t* context, gss_buffer_t output_token) {
  return forward(GSS_S_UNAVAILABLE, &Gssapi::delete_sec_context, minor_status, context, output_token);
}

OM_uint32 gss_display_status(OM_uint32* minor_status, OM_uint32 status, int status_type, gss_OID mech,
                             OM_uint32* message_context, gss_buffer_t status_string) {
  // Without the library, no message: an empty one, which release_buffer
  // below has nothing to free of.
  if (gssapi().display_status == nullptr && status_string != nullptr) *status_string = GSS_C_EMPTY_BUFFER;
  return forward(GSS_S_UNAVAILABLE, &Gssapi::display_status, minor_status, status, status_type, mech,
                 message_context, status_string);
}

OM_uint32 gss_import_name(OM_uint32* minor_status, gss_buffer_t name, gss_OID name_type, gss_name_t* output_name) {
  return forward(GSS_S_UNAVAILABLE, &Gssapi::import_name, minor_status, name, name_type, output_name);
}

OM_uint32 gss_indicate_mechs(OM_uint32* minor_status, gss_OID_set* mechanisms) {
  return forward(GSS_S_UNAVAILABLE, &Gssapi::indicate_mechs, minor_status, mechanisms);
}

OM_uint32 gss_init_sec_context(OM_uint32* minor_status, gss_cred_id_t credential, gss_ctx_id_t* context,
                               gss_name_t target, gss_OID mech, OM_uint32 flags, OM_uint32 time_requested,
                               gss_channel_bindings_t bindings, gss_buffer_t input_token, gss_OID* actual_mech,
                               gss_buffer_t output_token, OM_uint32* returned_flags, OM_uint32* time_received) {
  return forward(GSS_S_UNAVAILABLE, &Gssapi::init_sec_context, minor_status, credential, context, target, mech,
                 flags, time_requested, bindings, input_token, actual_mech, output_token, returned_flags,
                 time_received);
}

// What these free came from the library, loaded by then; without it there
// is nothing to free.
OM_uint32 gss_release_buffer(OM_uint32* minor_status, gss_buffer_t buffer) {
  return forward(GSS_S_COMPLETE, &Gssapi::release_buffer, minor_status, buffer);
}

OM_uint32 gss_release_name(OM_uint32* minor_status, gss_name_t* name) {
  return forward(GSS_S_COMPLETE, &Gssapi::release_name, minor_status, name);
}

OM_uint32 gss_release_oid_set(OM_uint32* minor_status, gss_OID_set* set) {
  return forward(GSS_S_COMPLETE, &Gssapi::release_oid_set, minor_status, set);
}

}  // extern "C"

#pragma GCC visibility pop
