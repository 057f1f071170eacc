class Cat:
    def speak(self):
        pass


class Dog:
    def speak(self):
        pass


pet = Cat()
pet.speak()
pet = Dog()
pet.speak()
