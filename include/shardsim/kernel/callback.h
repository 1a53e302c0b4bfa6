// A callback to a member function, without allocation or virtual dispatch.
//
// Events and completions carry a Callback: a plain function pointer, the object it acts on and one
// 64-bit argument (usually the id of a request or a job). Callback::to<&Class::method>(object)
// builds one from any member function `void Class::method(std::uint64_t)`.
#pragma once

#include <cstdint>

namespace shardsim {

using EventFn = void (*)(void* target, std::uint64_t arg);

namespace detail {
template <class C, void (C::*Method)(std::uint64_t)>
void invoke_member(void* target, std::uint64_t arg) {
  (static_cast<C*>(target)->*Method)(arg);
}
template <class M>
struct MemberClass;
template <class C>
struct MemberClass<void (C::*)(std::uint64_t)> {
  using type = C;
};
}  // namespace detail

struct Callback {
  EventFn fn = nullptr;
  void* target = nullptr;

  template <auto Method>
  static Callback to(typename detail::MemberClass<decltype(Method)>::type* object) {
    using C = typename detail::MemberClass<decltype(Method)>::type;
    return Callback{&detail::invoke_member<C, Method>, object};
  }

  explicit operator bool() const { return fn != nullptr; }
  void operator()(std::uint64_t arg) const { fn(target, arg); }
};

}  // namespace shardsim
