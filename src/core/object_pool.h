// A few reusable objects (parsers, compression contexts) shared by all threads, where one per
// thread would keep its memory for ever: the server runs requests on a hundred threads and more.
// Take() lends an object for the caller alone; the lease gives it back when it ends, and the
// pool keeps at most `keep` of them (and only those `worth_keeping` says yes to, say, not one
// grown for an exceptional input). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace datenwerk {

template <typename Ptr>  // a std::unique_ptr<T> or std::unique_ptr<T, Deleter>
class ObjectPool {
 public:
  using Object = typename Ptr::element_type;

  ObjectPool(std::function<Ptr()> create, size_t keep,
             std::function<bool(const Object&)> worth_keeping = [](const Object&) { return true; })
      : create_(std::move(create)), keep_(keep), worth_keeping_(std::move(worth_keeping)) {}

  class Lease {
   public:
    Lease(ObjectPool& pool, Ptr object) : pool_(&pool), object_(std::move(object)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (object_) pool_->GiveBack(std::move(object_));
    }
    explicit operator bool() const { return object_ != nullptr; }  // false: creating one failed
    Object& operator*() const { return *object_; }
    Object* get() const { return object_.get(); }

   private:
    ObjectPool* pool_;
    Ptr object_;
  };

  Lease Take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        Ptr object = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(object));
      }
    }
    return Lease(*this, create_());
  }

 private:
  void GiveBack(Ptr object) {
    if (!worth_keeping_(*object)) return;
    std::lock_guard lock(mu_);
    if (free_.size() < keep_) free_.push_back(std::move(object));
  }

  const std::function<Ptr()> create_;
  const size_t keep_;
  const std::function<bool(const Object&)> worth_keeping_;
  std::mutex mu_;
  std::vector<Ptr> free_;
};

}  // namespace datenwerk
