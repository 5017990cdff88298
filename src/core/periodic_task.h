// Runs a task now and then on a thread of its own: once at start, then every `every`, until it
// is destroyed (which wakes, stops and joins the thread). For housekeeping such as deleting
// personal data past its retention. The task must not throw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace datenwerk {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds every, std::function<void()> task)
      : every_(every), task_(std::move(task)), thread_([this] { Run(); }) {}
  ~PeriodicTask() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      task_();
      lock.lock();
      wake_.wait_for(lock, every_, [this] { return stop_; });
    }
  }

  const std::chrono::milliseconds every_;
  const std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;  // last: starts after the members it reads
};

}  // namespace datenwerk
